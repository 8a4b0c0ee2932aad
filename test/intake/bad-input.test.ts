// Intake on damaged and extreme input: it must never throw and must point problems at the right line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDocument, hunkAt, lineRange, parseDocument, readDocument } from '../../server/src/intake/parse';
import { assertPositions, fixtureText, hunkCount } from './helpers';

const problemLines = (text: string) => parseDocument(text, 't').problems.map((p) => [p.range.start.line, p.severity]);

test('empty file: prose, one empty line, nothing found', () => {
  const doc = parseDocument('', 'empty.patch');
  assert.deepEqual([doc.kind, doc.lines, doc.messages.length, doc.files.length, doc.codeBlocks.length, doc.problems.length], ['prose', [''], 0, 0, 0, 0]);
  assert.deepEqual(decodeDocument(new Uint8Array(0)), { text: '', problems: [] });
  assert.deepEqual(lineRange(doc, 0), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
});

test('binary noise (random bytes with NUL): warnings, no crash, problems inside the document', () => {
  let seed = 12345;
  const bytes = new Uint8Array(65536);
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  bytes[100] = 0;
  const doc = readDocument(bytes, 'noise.bin');
  const msgs = doc.problems.map((p) => p.message);
  assert.ok(msgs.some((m) => m.startsWith('binary data (NUL bytes)')), 'NUL reported');
  assert.ok(msgs.some((m) => m.startsWith('invalid UTF-8')), 'bad UTF-8 reported');
  for (const p of doc.problems) assert.ok(p.range.start.line < doc.lines.length);
});

test('invalid UTF-8: replacement characters and one warning on the first bad line', () => {
  const enc = new TextEncoder();
  const bytes = new Uint8Array([...enc.encode('line one\nline two\nbad '), 0xff, 0xc3, ...enc.encode('\nworse '), 0xe2, 0x82, ...enc.encode('\n')]);
  const { text, problems } = decodeDocument(bytes);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.range.start.line, 2);
  assert.equal(problems[0]!.message, 'invalid UTF-8 from this line on: bad bytes were replaced with U+FFFD');
  assert.equal(text.split('\n')[2], 'bad \uFFFD\uFFFD');
  // Valid multi-byte text (and a literal U+FFFD) is not a problem.
  assert.deepEqual(decodeDocument(enc.encode('caf\u00e9 \u2014 \uFFFD \u{1F600}\n')).problems, []);
});

test('a 20 MB patch parses completely (linear algorithm)', () => {
  const filler = 'x'.repeat(200);
  const hunk = (k: number) => `@@ -${k * 10},3 +${k * 10},3 @@ f${k}(void)\n \t${filler}\n-\told ${filler}\n+\tnew ${filler}\n \t${filler}\n`;
  const parts = ['diff -u a/mm/big.c b/mm/big.c\n--- a/mm/big.c\n+++ b/mm/big.c\n'];
  let size = parts[0]!.length;
  let n = 0;
  while (size < 20 * 1024 * 1024) {
    const h = hunk(n++);
    parts.push(h);
    size += h.length;
  }
  const doc = parseDocument(parts.join(''), 'big.patch');
  assert.equal(doc.kind, 'patch');
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.files.length, 1);
  assert.equal(hunkCount(doc), n);
  const lastHunk = doc.files[0]!.hunks[n - 1]!;
  assert.equal(lastHunk.oldStart, (n - 1) * 10);
  assert.deepEqual(hunkAt(doc, lastHunk.line + 2), { file: 0, hunk: n - 1 });
});

test('CRLF line ends: same positions as LF, no carriage returns in texts', () => {
  const lf = fixtureText('plain-diff-u.diff');
  const a = parseDocument(lf, 'lf');
  const b = parseDocument(lf.replace(/\n/g, '\r\n'), 'crlf');
  assert.deepEqual(b.lines, a.lines);
  assert.deepEqual(b.files, a.files);
  assert.deepEqual(b.problems, []);
  assert.ok(!b.files[0]!.hunks.some((h) => h.lines.some((l) => l.text.includes('\r'))));
  // A lone CR also ends a line, as in LSP.
  assert.deepEqual(parseDocument('a\rb\r\nc', 'cr').lines, ['a', 'b', 'c']);
});

const header = 'diff -u a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n';

test('hunk cut off mid-way: error at the last body line, related to the header', () => {
  const text = header + '@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\ndiff -u a/mm/y.c b/mm/y.c\n--- a/mm/y.c\n+++ b/mm/y.c\n@@ -1 +1 @@\n-p\n+q\n';
  const doc = parseDocument(text, 'cut.patch');
  assert.equal(doc.problems.length, 1);
  const p = doc.problems[0]!;
  assert.deepEqual([p.severity, p.range.start.line], ['error', 7]);
  assert.match(p.message, /hunk cut off: the header promises 5 old and 5 new lines, the body has 3 old and 3 new/);
  assert.equal(p.related![0]!.range.start.line, 3);
  assert.equal(doc.files.length, 2, 'the next file is still read');
  assert.equal(doc.files[1]!.hunks.length, 1);
});

test('hunk cut off at the end of the text by more than chopped blank lines is an error', () => {
  assert.deepEqual(problemLines(header + '@@ -1,4 +1,5 @@\n a\n-b\n+B\n c'), [[7, 'error']]);
  assert.deepEqual(problemLines(header + '@@ -1,9 +1,9 @@\n a\n-b\n+B\n c'), [[7, 'error']]);
  // Up to three missing trailing context lines at the very end are accepted, as patch(1) does,
  // with a note on the hunk's last line; so is a hunk cut short by the next mail's postmark.
  assert.deepEqual(problemLines(header + '@@ -1,5 +1,5 @@\n a\n-b\n+B\n c'), [[7, 'information']]);
  assert.deepEqual(problemLines(header + '@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n\nFrom nobody Mon Sep 17 00:00:00 2001\nSubject: next\n'), [[8, 'information']]);
  assert.deepEqual(problemLines(header + '@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n d'), []);
});

test('hunk body longer than its header: error at the first extra line', () => {
  assert.deepEqual(problemLines(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n+extra\n c\n'), [[7, 'error']]);
  assert.deepEqual(problemLines(header + '@@ -1,2 +1,1 @@\n a\n-b\n-more\n'), [[6, 'error']]);
});

test('context lines beyond a complete hunk: a warning over them (patch(1) ignores them); white space alone is no context', () => {
  assert.deepEqual(problemLines(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n c\n d\n'), [[7, 'warning']]);
  assert.deepEqual(problemLines(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n c\n@@ -9 +9 @@\n-x\n+y\n'), [[7, 'warning']]);
  assert.deepEqual(problemLines(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n \n  \n'), []);
  const doc = parseDocument(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n c\n d\n', 'x.patch');
  assert.match(doc.problems[0]!.message, /2 context lines beyond the count, which patch\(1\) ignores/);
  assert.equal(doc.problems[0]!.range.end.line, 8);
  assert.equal(doc.files[0]!.hunks[0]!.lines.length, 3, 'the hunk keeps what its header counts');
});

test('--- without +++, a section with no hunks, an unparsable hunk header, a stray hunk', () => {
  assert.deepEqual(problemLines('diff -u a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n@@ -1 +1 @@\n-a\n+b\n'), [[1, 'error']]);
  assert.deepEqual(problemLines('diff -puN mm/x.c~fix mm/x.c\n--- 25/mm/x.c~fix\n+++ 25-akpm/mm/x.c\n\nprose\n'), [[0, 'error']]);
  assert.deepEqual(problemLines(header + '@@ -1,x +1 @@\n-a\n+b\n'), [[3, 'error']]);
  assert.deepEqual(problemLines('text\n@@ -1 +1 @@\n-a\n+b\n'), [[1, 'error']]);
  // git sections without hunks are fine when their headers explain it (mode change, binary).
  assert.deepEqual(problemLines('diff --git a/mm/x.c b/mm/x.c\nold mode 100644\nnew mode 100755\n'), []);
  assert.deepEqual(problemLines('diff --git a/x.bin b/x.bin\nindex 1..2 100644\nBinary files a/x.bin and b/x.bin differ\n'), []);
});

test('trailers after the last hunk end it: _, -- signature, mailing-list footer, blank lines', () => {
  for (const tail of ['_\n', '-- \nname\n', '--\n', '-\nTo unsubscribe from this list\n', '\n\n\n', '   \n\t\n']) {
    assert.deepEqual(problemLines(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n' + tail), [], JSON.stringify(tail));
  }
});

test('a mail with no body; a bare header block that is not a mail', () => {
  const doc = parseDocument('From: someone <s@example.org>\nSubject: nothing here\n', 'nobody.eml');
  assert.equal(doc.kind, 'mail');
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.messages[0]!.subject, 'nothing here');
  assert.ok(doc.messages[0]!.bodyLine <= doc.lines.length);
  assert.equal(parseDocument('From: x\nSubject: y', 'n').messages[0]!.bodyLine, 2);
  assert.equal(parseDocument('Note: this is prose.\nMore prose.\n', 'p').kind, 'prose');
});

test('very long lines, trailing blanks and tabs are survived', () => {
  const long = 'y'.repeat(1_000_000);
  const text = `${long}\n${header}@@ -1,2 +1,2 @@ ${long}\n ${long}\n-\tb \t\n+\tB   \n\n\n${'('.repeat(100_000)}\n${'> '.repeat(100_000)}int f(void)\n`;
  const doc = parseDocument(text, 'long.patch');
  assert.deepEqual(doc.problems, []);
  const h = doc.files[0]!.hunks[0]!;
  assert.equal(h.lines[0]!.text.length, 1_000_000);
  assert.deepEqual(h.lines.slice(1).map((l) => [l.kind, l.text]), [['-', '\tb \t'], ['+', '\tB   ']]);
  assertPositions(doc);
});

test('hunkAt and lineRange', () => {
  const doc = parseDocument(header + '@@ -1,2 +1,2 @@\n a\n-b\n+B\n@@ -9 +9 @@\n-z\n+Z\ntail\n', 'h');
  assert.deepEqual([0, 2, 3, 6, 7, 8, 9, 10, 99].map((l) => hunkAt(doc, l)), [
    undefined, undefined, { file: 0, hunk: 0 }, { file: 0, hunk: 0 }, { file: 0, hunk: 1 }, { file: 0, hunk: 1 }, { file: 0, hunk: 1 }, undefined, undefined,
  ]);
  assert.deepEqual(lineRange(doc, 3), { start: { line: 3, character: 0 }, end: { line: 3, character: 15 } });
});

test('property: any mix of patch-like lines parses without throwing and keeps positions exact', async () => {
  const fc = await import('fast-check');
  const piece = fc.constantFrom(
    'diff -u a/mm/x.c b/mm/x.c', '--- a/mm/x.c', '+++ b/mm/x.c', '@@ -1,2 +1,2 @@', '@@ -3 +3,2 @@ f(void)', '@@ bad',
    ' ctx', '-old', '+new', '', '\\ No newline at end of file', '_', '-- ', 'From 1 Mon Sep 17 00:00:00 2001',
    'From: a <a@b>', 'Subject: s', ' folded', 'Re: [PATCH] x', '> int f(void)', '> {', '> \tg();', '> }', 'void h(void)', '{', '}', 'prose line',
  );
  fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), (ls, eol) => {
    const doc = parseDocument(ls.join(eol), 'prop');
    assertPositions(doc);
    for (const p of doc.problems) assert.ok(p.range.start.line < doc.lines.length);
    for (const f of doc.files) for (const h of f.hunks) assert.deepEqual(hunkAt(doc, h.line), { file: doc.files.indexOf(f), hunk: f.hunks.indexOf(h) });
  }), { numRuns: 300, seed: 42 });
});
