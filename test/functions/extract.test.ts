// Function extraction from hand-built documents: joining hunks, comment-only hunks, fragments,
// declaration-only hunks and code pasted into a mail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFunctions, functionAt } from '../../server/src/functions/extract';
import { initEngine } from '../support/engine';
import { mailDoc, patchDoc } from './doc-helper';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'functions', name), 'utf8');

test('two hunks of one function with no gap are joined into a whole body', () => {
  const doc = patchDoc(fixture('two-hunks.patch'));
  const { functions } = extractFunctions(doc);
  assert.deepEqual(functions.map((f) => [f.name, f.preOrigin, f.postOrigin, f.hunks.length]), [['count_pages', 'patch', 'patch', 2]]);
  const post = functions[0]!.post!;
  assert.equal(post.whole, true);
  assert.match(post.c.text, /seen \+= PageDirty\(page\);\n\t\tpage_cache_release/);
  assert.doesNotMatch(functions[0]!.pre!.c.text, /seen/);
  // The signature line maps back to its document line, one column in (after the diff marker).
  const sigLine = doc.lines.findIndex((l) => l.startsWith(' int count_pages'));
  assert.deepEqual(post.c.map[post.c.text.split('\n').findIndex((l) => l.startsWith('int count_pages'))], { line: sigLine, character: 1 });
});

test('two hunks of one function with lines missing between them make a fragment with a segment break', () => {
  const doc = patchDoc(fixture('two-hunks.patch').replace('@@ -19,7 +20,8 @@', '@@ -23,7 +24,8 @@'));
  const [fn] = extractFunctions(doc).functions;
  assert.equal(fn?.name, 'count_pages');
  assert.equal(fn?.preOrigin, 'fragment');
  assert.equal(fn?.postOrigin, 'fragment');
  assert.equal(fn?.post?.whole, false);
  assert.equal(fn?.post?.c.segments?.length, 1);
});

test('a comment-only hunk touches no function; a hunk inside a body is a fragment named by its hint', () => {
  const { functions } = extractFunctions(patchDoc(fixture('comment-and-body.patch')));
  assert.deepEqual(functions.map((f) => [f.name, f.file, f.preOrigin, f.postOrigin]), [['third_function', 'mm/other.c', 'fragment', 'fragment']]);
});

test('a hunk inside a body whose hint is not a function call, with only declarations changed, yields nothing', () => {
  const text = ['--- a/x.h', '+++ b/x.h', '@@ -3,3 +3,4 @@ struct holder {', ' \tint a;', '+\tatomic_t count;', ' \tint b;'].join('\n');
  assert.deepEqual(extractFunctions(patchDoc(text)).functions, []);
});

test('a hunk inside an initialiser closed by "};" yields nothing even with a call in it', () => {
  const text = ['--- a/x.c', '+++ b/x.c', '@@ -3,3 +3,4 @@ struct holder h = {', ' \t.a = 1,', '+\t.count = ATOMIC_INIT(0),', ' \t.b = 2,', ' };'].join('\n');
  assert.deepEqual(extractFunctions(patchDoc(text)).functions, []);
});

test('a hunk inside a body with no hint is still a fragment when it changes statements', () => {
  const text = ['--- a/x.c', '+++ b/x.c', '@@ -3,3 +3,4 @@', ' \tint a = 0;', '+\tdo_thing(a);', ' \treturn a;', ' }'].join('\n');
  const { functions } = extractFunctions(patchDoc(text));
  assert.deepEqual(functions.map((f) => [f.name, f.postOrigin]), [['', 'fragment']]);
});

test('a function added whole has no pre side', () => {
  const text = ['--- a/x.c', '+++ b/x.c', '@@ -3,2 +3,6 @@', ' int a;', '+static int fresh(void)', '+{', '+\treturn 1;', '+}', ' int b;'].join('\n');
  const { functions } = extractFunctions(patchDoc(text));
  assert.deepEqual(functions.map((f) => [f.name, f.preOrigin, f.postOrigin, f.post?.whole]), [['fresh', 'none', 'patch', true]]);
});

test('code pasted into a mail, quoted, gives one present function mapped past the quote markers', () => {
  const doc = mailDoc(fixture('pasted-code.eml'), 5, 11);
  const { functions } = extractFunctions(doc);
  assert.deepEqual(functions.map((f) => [f.name, f.preOrigin, f.postOrigin, f.file]), [['drop_all', 'none', 'present', '']]);
  assert.deepEqual(functions[0]!.post!.c.map[0], { line: 5, character: 2 });
  assert.equal(functionAt(functions, 8)?.name, 'drop_all');
  assert.equal(functionAt(functions, 2), undefined);
});

// A hunk that opens on the body's `{` (the signature is the line before it) belongs to that
// function: it used to yield no piece at all, and its change was silently dropped.
test('a hunk starting at a body\'s opening brace joins the function the next hunk continues', async () => {
  await initEngine();
  const doc = patchDoc(readFileSync(join(__dirname, '..', 'fixtures', 'corpus', 'invalidate-unmap-bounded.patch'), 'utf8'));
  const { functions } = extractFunctions(doc);
  assert.deepEqual(functions.map((f) => [f.name, f.hunks.length, f.postOrigin]), [['invalidate_inode_pages2', 2, 'spliced']]);
  assert.match(functions[0]!.post!.c.text, /int i, tries;/);
});
