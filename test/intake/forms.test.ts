// Intake on this project's own fixtures: plain diff -u, a git mail, an mbox series, quoted code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/intake/parse';
import { assertPositions, fixtureText, hunkCount } from './helpers';

test('plain diff -u between trees: prefixes and timestamps dropped, blank context, no-newline marker', () => {
  const doc = parseDocument(fixtureText('plain-diff-u.diff'), 'plain-diff-u.diff');
  assert.equal(doc.kind, 'patch');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.files.map((f) => [f.oldPath, f.newPath, f.line, f.message]), [['mm/readahead.c', 'mm/readahead.c', 3, -1]]);
  const [h1, h2] = doc.files[0]!.hunks;
  assert.deepEqual([h1!.line, h1!.oldLines, h1!.newLines, h1!.section], [6, 7, 9, 'static int window_full(struct ra_state *ra)']);
  const blank = h1!.lines[2]!;
  assert.deepEqual([blank.kind, blank.text, blank.line, blank.oldLine, blank.newLine], [' ', '', 9, 12, 12]);
  const removed = h1!.lines[3]!;
  assert.deepEqual([removed.kind, removed.oldLine, removed.newLine], ['-', 13, undefined]);
  assert.equal(h1!.lines.at(-1)!.newLine, 18);
  assert.equal(h2!.lines.at(-1)!.noNewline, true);
  assert.equal(h2!.range.end.line, doc.lines.length - 2, 'the marker line belongs to the hunk');
  assertPositions(doc);
});

test('git format-patch mail: postmark, folded Subject, diffstat, diff --git, signature', () => {
  const doc = parseDocument(fixtureText('git-mail.eml'), 'git-mail.eml');
  assert.equal(doc.kind, 'mail');
  assert.deepEqual(doc.problems, []);
  const m = doc.messages[0]!;
  assert.equal(m.subject, '[PATCH] mm: check the result of page cache invalidation in the direct-IO write path');
  assert.equal(m.from, 'Example Author <author@example.org>');
  assert.equal(m.date, 'Tue, 6 Feb 2007 11:22:33 -0800');
  const subj = m.headers!.find((h) => h.name === 'Subject')!;
  assert.deepEqual([subj.range.start.line, subj.range.end.line], [3, 4], 'folded header spans its continuation line');
  assert.equal(m.range.start.line, 0);
  assert.equal(m.bodyLine, 7);
  assert.deepEqual(doc.files.map((f) => [f.oldPath, f.newPath, f.line, f.message, f.hunks.length]), [['mm/filemap.c', 'mm/filemap.c', 15, 0, 1]]);
  const h = doc.files[0]!.hunks[0]!;
  assert.deepEqual([h.line, h.oldStart, h.oldLines, h.newStart, h.newLines], [19, 200, 7, 200, 11]);
  assert.equal(h.lines.length, 12);
  assert.equal(doc.codeBlocks.length, 0, 'added code inside a diff is not a pasted code block');
  assertPositions(doc);
});

test('mbox with a two-patch series: two messages, files tagged with their message', () => {
  const doc = parseDocument(fixtureText('series.mbox'), 'series.mbox');
  assert.equal(doc.kind, 'mbox');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.messages.map((m) => [m.subject, m.range.start.line, m.bodyLine]), [
    ['[PATCH 1/2] mm: add a generation counter to the mapping', 0, 5],
    ['[PATCH 2/2] mm: bump the counter on truncate', 20, 25],
  ]);
  assert.equal(doc.messages[0]!.range.end.line, 19);
  assert.deepEqual(doc.files.map((f) => [f.newPath, f.message, f.hunks.length]), [['include/linux/fs.h', 0, 1], ['mm/memory.c', 1, 1]]);
  assert.equal(hunkCount(doc), 2);
  assertPositions(doc);
});

test('quoted reply: one function block with quote markers stripped and document positions kept', () => {
  const doc = parseDocument(fixtureText('quoted-code.eml'), 'quoted-code.eml');
  assert.equal(doc.kind, 'mail', 'a mail with only pasted code is a mail');
  assert.equal(doc.files.length, 0);
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.messages[0]!.subject, 'Re: [RFC] page invalidation and mapped pages');
  assert.equal(doc.codeBlocks.length, 1);
  const b = doc.codeBlocks[0]!;
  assert.equal(b.message, 0);
  assert.deepEqual(b.lines.map((l) => l.text).slice(0, 4), ['static int', 'drop_one_page(struct address_space *mapping,', '              struct page *page)', '{']);
  assert.equal(b.lines.at(-1)!.text, '}');
  assert.deepEqual(b.range.start, { line: 10, character: 2 });
  assert.equal(b.range.end.line, 23);
  const blank = b.lines.find((l) => l.line === 15)!;
  assert.deepEqual([blank.text, blank.character], ['', 1], 'a bare ">" line is an empty code line');
  assertPositions(doc);
});

test('nested quoting and statement runs: a braced run is a block, a bare call list is not', () => {
  const text = [
    'Someone wrote:',
    '> > if (PageDirty(page)) {',
    '> > \tret = -EBUSY;',
    '> > }',
    '',
    'do this:',
    '',
    'lock_page(page);',
    'unlock_page(page);',
    '',
  ].join('\n');
  const doc = parseDocument(text, 'nested.txt');
  assert.equal(doc.kind, 'prose');
  assert.equal(doc.codeBlocks.length, 1);
  assert.deepEqual(doc.codeBlocks[0]!.lines.map((l) => [l.line, l.character, l.text]), [
    [1, 4, 'if (PageDirty(page)) {'],
    [2, 4, '\tret = -EBUSY;'],
    [3, 4, '}'],
  ]);
});

test('an unclosed pasted function ends before the prose paragraph that follows it', () => {
  const text = ['int f(int a)', '{', '\tif (a)', '\t\treturn 1;', '', 'That is all I have for now, sorry.', 'Bye'].join('\n');
  const doc = parseDocument(text, 'unclosed.txt');
  assert.deepEqual(doc.codeBlocks.map((b) => [b.range.start.line, b.range.end.line]), [[0, 3]]);
});
