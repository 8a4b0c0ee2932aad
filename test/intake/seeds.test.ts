// Intake on the five seed documents: kinds, files, hunks, headers and pasted code, with positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, hunkAt } from '../../server/src/intake/parse';
import { assertPositions, hunkCount, seedText } from './helpers';

const parse = (prefix: string) => parseDocument(seedText(prefix), `${prefix}seed`);

test('seed 000: akpm diff -puN patch, 3 files, 5 hunks, @@ lines and numbering', () => {
  const doc = parse('000_');
  assert.equal(doc.kind, 'patch');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.files.map((f) => [f.oldPath, f.newPath, f.line, f.message]), [
    ['mm/truncate.c', 'mm/truncate.c', 40, -1],
    ['include/linux/fs.h', 'include/linux/fs.h', 144, -1],
    ['mm/filemap.c', 'mm/filemap.c', 156, -1],
  ]);
  assert.equal(hunkCount(doc), 5);
  const hunks = doc.files.flatMap((f) => f.hunks);
  assert.deepEqual(hunks.map((h) => [h.line, h.oldStart, h.oldLines, h.newStart, h.newLines]), [
    [43, 65, 6, 65, 8],
    [52, 277, 50, 279, 67],
    [147, 1428, 7, 1428, 7],
    [159, 2320, 7, 2320, 8],
    [169, 2330, 12, 2331, 23],
  ]);
  assert.equal(hunks[0]!.section, 'truncate_complete_page(struct address_sp');
  // Body lengths agree with the headers.
  for (const h of hunks) {
    assert.equal(h.lines.filter((l) => l.kind !== '+').length, h.oldLines);
    assert.equal(h.lines.filter((l) => l.kind !== '-').length, h.newLines);
  }
  // First added line of the first hunk: three context lines, then new line 68.
  const firstAdd = hunks[0]!.lines.find((l) => l.kind === '+')!;
  assert.deepEqual([firstAdd.line, firstAdd.newLine, firstAdd.oldLine, firstAdd.text], [47, 68, undefined, ' *']);
  // The removed blank line near the end of hunk 2 is a '-' line with empty text.
  const last2 = hunks[1]!.lines.slice(-2);
  assert.deepEqual(last2.map((l) => [l.kind, l.text]), [['-', ''], [' ', 'EXPORT_SYMBOL_GPL(invalidate_inode_pages2);']]);
  // The `_` trailer is after the last hunk and not part of it.
  assert.equal(doc.lines[doc.lines.length - 1], '_');
  assert.equal(hunks[4]!.range.end.line, doc.lines.length - 2);
  assert.deepEqual(doc.codeBlocks, []);
  assertPositions(doc);
});

test('seed 000: hunkAt finds the file and hunk of a line, and nothing outside hunks', () => {
  const doc = parse('000_');
  assert.deepEqual(hunkAt(doc, 43), { file: 0, hunk: 0 });
  assert.deepEqual(hunkAt(doc, 100), { file: 0, hunk: 1 });
  assert.deepEqual(hunkAt(doc, 180), { file: 2, hunk: 1 });
  assert.equal(hunkAt(doc, 0), undefined);
  assert.equal(hunkAt(doc, 144), undefined, 'diff -puN line is not in a hunk');
  assert.equal(hunkAt(doc, doc.lines.length - 1), undefined, '`_` trailer');
});

test('seed 001: a reply with a leading subject line, From and Date, and one pasted function', () => {
  const doc = parse('001_');
  assert.equal(doc.kind, 'mail');
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.files.length, 0);
  assert.equal(doc.messages.length, 1);
  const m = doc.messages[0]!;
  assert.equal(m.subject, 'Re: [PATCH] zap_pte_range should not mark non-uptodate pages dirty');
  assert.equal(m.from, 'Andrew Morton');
  assert.equal(m.date, 'Thu Oct 21 2004 - 21:18:46 EST');
  assert.deepEqual(m.headers!.map((h) => [h.name, h.range.start.line]), [['Subject', 0], ['From', 2], ['Date', 3]]);
  assert.equal(m.bodyLine, 5);
  assert.equal(doc.codeBlocks.length, 1);
  const b = doc.codeBlocks[0]!;
  assert.equal(b.lines[0]!.text, 'void invalidate_inode_pages2(struct address_space *mapping)');
  assert.equal(b.lines[b.lines.length - 1]!.text, '}');
  assert.deepEqual([b.range.start.line, b.range.end.line], [64, 93]);
  assert.equal(b.lines.length, 30);
  assert.equal(doc.lines[63], '', 'nothing of the prose before the function');
  assert.equal(doc.lines[94], '', 'nothing of the prose after the function');
  assert.ok(!b.lines.some((l) => l.text === 'lock_page()'), 'pseudo-code list is not in the function block');
  assertPositions(doc);
});

test('seed 002: [PATCH] subject line, diff --git with index, 1 file, 2 hunks', () => {
  const doc = parse('002_');
  assert.equal(doc.kind, 'mail');
  // A final blank context line chopped at the end of the text is accepted, as patch(1) does, and said.
  assert.deepEqual(doc.problems.map((p) => [p.severity, p.range.start.line, p.related?.[0]?.range.start.line, p.message]), [
    ['information', 108, 53, 'hunk ends one line short at the end of the text: read as patch(1) reads it, as if the mailer had trimmed a blank context line (the header promises 23 old and 46 new lines)'],
  ]);
  const m = doc.messages[0]!;
  assert.equal(m.subject, '[PATCH] dio: invalidate clean pages before dio write');
  assert.deepEqual(m.headers!.map((h) => [h.name, h.range.start.line]), [['Subject', 0]]);
  assert.equal(m.from, undefined, 'the seed has no From header');
  assert.equal(m.date, undefined, 'the seed has no Date header');
  assert.deepEqual(doc.files.map((f) => [f.oldPath, f.newPath, f.line, f.message]), [['mm/filemap.c', 'mm/filemap.c', 39, 0]]);
  assert.deepEqual(doc.files[0]!.hunks.map((h) => [h.line, h.oldStart, h.oldLines, h.newStart, h.newLines, h.section]), [
    [43, 2379, 7, 2379, 8, ''],
    [53, 2388, 23, 2389, 46, ''],
  ]);
  assert.equal(doc.codeBlocks.length, 0);
  assertPositions(doc);
});

test('seed 003: From header, 5 files, 8 hunks', () => {
  const doc = parse('003_');
  assert.equal(doc.kind, 'mail');
  assert.deepEqual(doc.problems, []);
  const m = doc.messages[0]!;
  assert.equal(m.from, 'Dave McCracken <dmccr@us.ibm.com>');
  assert.deepEqual(m.headers!.map((h) => [h.name, h.range.start.line]), [['From', 0]]);
  assert.equal(m.bodyLine, 2);
  assert.deepEqual(doc.files.map((f) => f.newPath), [
    'drivers/mtd/devices/blkmtd.c', 'fs/inode.c', 'include/linux/fs.h', 'mm/memory.c', 'mm/swap_state.c',
  ]);
  assert.equal(hunkCount(doc), 8);
  assert.deepEqual(doc.files[3]!.hunks.map((h) => h.line), [68, 77, 88, 98]);
  assert.ok(doc.files.every((f) => f.message === 0));
  assert.equal(doc.codeBlocks.length, 0);
  assertPositions(doc);
});

test('seed 004: prose with no headers and no code', () => {
  const doc = parse('004_');
  assert.equal(doc.kind, 'prose');
  assert.deepEqual([doc.messages.length, doc.files.length, doc.codeBlocks.length, doc.problems.length], [0, 0, 0, 0]);
});
