// The static tier's size bound (server/src/lsp/static-bounds.ts): where a document too large for
// it is cut, and that the prefix is a document of its own (no cut-off hunk for intake to report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { cutToBound, readStaticBounds, DEFAULT_STATIC_BOUNDS, sizeNote } from '../../server/src/lsp/static-bounds';
import { bigPatch } from './raw';

const lines = (text: string) => text.split('\n');

test('a text within the bound is analysed whole', () => {
  const text = bigPatch(4 * 1024);
  assert.deepEqual(cutToBound(text, text.length), { text, totalChars: text.length });
});

test('a longer text is cut before a hunk header, at a line the prefix does not reach', async () => {
  await initEngine();
  const text = bigPatch(64 * 1024);
  const cut = cutToBound(text, 16 * 1024);
  assert.ok(cut.text.length <= 16 * 1024 && cut.text.length >= 8 * 1024, `${cut.text.length}`);
  assert.ok(text.startsWith(cut.text));
  assert.equal(cut.cutLine, lines(cut.text).length - 1);
  assert.ok(lines(text)[cut.cutLine!]!.startsWith('@@ '));
  const findings = analyze(cut.text, 'cut.patch').findings;
  assert.deepEqual(findings.filter((f) => f.rule === 'patch-syntax'), [], 'the prefix has no cut-off hunk');
  const note = sizeNote(cut, { ...DEFAULT_STATIC_BOUNDS, maxSizeKb: 16 });
  assert.equal(note.range.start.line, cut.cutLine);
  assert.match(String(note.message), new RegExp(`has ${Math.ceil(text.length / 1024)} KB, more than the static tier's bound of 16 KB`));
});

test("a file's first hunk is never split from its header; a git header stays whole", () => {
  // File A is the larger part, so that looking back half the bound always reaches its end.
  const fileA = `--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,40 +1,41 @@\n${' a\n'.repeat(20)}+b\n${' c\n'.repeat(20)}`;
  const fileB = 'diff --git a/mm/b.c b/mm/b.c\nindex 1..2 100644\n--- a/mm/b.c\n+++ b/mm/b.c\n@@ -1,2 +1,3 @@\n a\n+b\n c\n';
  const text = fileA + fileB;
  // Bounds that end inside file B's header or first hunk all cut before its `diff` line.
  for (let bound = fileA.length + 1; bound < text.length; bound++) assert.equal(cutToBound(text, bound).text, fileA, `bound ${bound}`);
  const plain = fileA + fileA.replace(/a\.c/g, 'b.c');
  assert.equal(cutToBound(plain, plain.length - 3).text, fileA, 'a plain diff is cut before its second `---` line');
});

test('one hunk larger than half the bound is cut at a line break, never inside a surrogate pair', () => {
  const text = `--- a/x\n+++ b/x\n@@ -1,400 +1,400 @@\n${' 😀😀😀😀\n'.repeat(400)}`;
  const cut = cutToBound(text, 1001);
  assert.ok(cut.text.endsWith('\n'));
  const odd = '@'.repeat(2000) + '😀'.repeat(10);
  const mid = cutToBound(odd, 2001);
  assert.equal(mid.text.length, 2000, 'the pair is left out whole');
});

test('the bounds are read from every settings shape; bad values keep the old ones', () => {
  assert.deepEqual(readStaticBounds({ static: { maxSizeKb: 64 } }), { maxSizeKb: 64, maxMs: DEFAULT_STATIC_BOUNDS.maxMs });
  assert.deepEqual(readStaticBounds({ kpr: { static: { maxMs: 500 } } }), { maxSizeKb: DEFAULT_STATIC_BOUNDS.maxSizeKb, maxMs: 500 });
  assert.deepEqual(readStaticBounds({ 'kpr.static.maxSizeKb': 1024 }).maxSizeKb, 1024);
  assert.deepEqual(readStaticBounds({ static: { maxSizeKb: 0, maxMs: 'soon' } }), DEFAULT_STATIC_BOUNDS);
  assert.deepEqual(readStaticBounds(undefined), DEFAULT_STATIC_BOUNDS);
});
