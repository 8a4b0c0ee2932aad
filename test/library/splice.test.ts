import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initParser } from '../../server/src/c/parser';
import { parseDocument } from '../../server/src/intake/parse';
import { lowerFunction } from '../../server/src/lower/lower';
import { libraryFunctions } from '../../server/src/model/library/index';
import { spliceHunks, type SpliceLine } from '../../server/src/model/library/splice';

const seedsDir = process.env.KPR_SEEDS ?? join(__dirname, '..', '..', '..', 'shared', 'seeds');
const noSeeds = !existsSync(seedsDir) && 'seeds not available';

/** The hunks of a seed's file section whose `@@` line names `marker` (diff -p hint). */
function hunksOf(prefix: string, path: string, marker: string): SpliceLine[][] {
  const seed = readdirSync(seedsDir).find((n) => n.startsWith(prefix))!;
  const doc = parseDocument(readFileSync(join(seedsDir, seed), 'utf8'), seed);
  const file = doc.files.find((f) => f.oldPath === path)!;
  return file.hunks.filter((h) => h.section.includes(marker)).map((h) => h.lines);
}

test('a hand-made hunk replaces one statement and keeps the rest of the library body', async () => {
  await initParser();
  const fn = libraryFunctions('2.6.10').get('generic_file_direct_IO')!;
  const hunk: SpliceLine[] = [
    { kind: ' ', text: '\tretval = filemap_write_and_wait(mapping);', line: 10 },
    { kind: ' ', text: '  if (retval == 0) {', line: 11 },
    { kind: ' ', text: '\t\tretval = mapping->a_ops->direct_IO(rw, iocb, iov,', line: 12 },
    { kind: ' ', text: '\t\t\t\t\t\toffset, nr_segs);', line: 13 },
    { kind: '-', text: '\t\tif (rw == WRITE && mapping->nrpages)', line: 14 },
    { kind: '-', text: '\t\t\tinvalidate_inode_pages2(mapping);', line: 15 },
    { kind: '+', text: '\t\tif (rw == WRITE && mapping->nrpages && invalidate_inode_pages2(mapping))', line: 16 },
    { kind: '+', text: '\t\t\tretval = -EIO;', line: 17 },
    { kind: ' ', text: '\t}', line: 18 },
  ];
  const r = spliceHunks(fn, [hunk]);
  assert.ok(r.ok);
  assert.equal(r.pre.text.replace(/\s+/g, ' '), fn.text.replace(/\s+/g, ' '));
  assert.match(r.post.text, /retval = -EIO;/);
  assert.doesNotMatch(r.post.text, /\t\t\tinvalidate_inode_pages2\(mapping\);/);
  assert.match(r.post.text, /^ssize_t\ngeneric_file_direct_IO/);
  const i = r.post.text.split('\n').findIndex((l) => l.includes('retval = -EIO'));
  assert.deepEqual(r.post.map[i], { line: 17, character: 1 });
  assert.equal(r.post.map[0].line, -1);
  assert.deepEqual(r.post.source, { kind: 'library', file: '2.6.10/filemap.c' });
});

test('a hunk whose context is not in the library is a problem, not a guess', async () => {
  await initParser();
  const fn = libraryFunctions('2.6.10').get('do_no_page')!;
  const r = spliceHunks(fn, [[{ kind: ' ', text: 'frobnicate(page);', line: 1 }, { kind: '+', text: 'x = 1;', line: 2 }]]);
  assert.equal(r.ok, false);
  assert.ok(!r.ok && /hunk 1/.test(r.problem));
});

test('seed 003 spliced into the 2.5.70 do_no_page lowers and re-checks truncate_count', { skip: noSeeds }, async () => {
  await initParser();
  const fn = libraryFunctions('2.5.70').get('do_no_page')!;
  const hunks = hunksOf('003_', 'mm/memory.c', 'do_no_page');
  assert.equal(hunks.length, 3);
  const r = spliceHunks(fn, hunks);
  assert.ok(r.ok, !r.ok ? r.problem : '');
  assert.match(r.post.text, /sequence != atomic_read\(&mapping->truncate_count\)/);
  const low = lowerFunction({ c: r.post, whole: true }, 'do_no_page');
  assert.ok(low.ir);
  assert.deepEqual(low.notes.filter((n) => n.kind === 'syntax'), []);
});

test('seed 000 spliced into the 2.6.10 invalidate_inode_pages2 gives the unmapping loop', { skip: noSeeds }, async () => {
  await initParser();
  const fn = libraryFunctions('2.6.10').get('invalidate_inode_pages2')!;
  const hunks = hunksOf('000_', 'mm/truncate.c', 'invalidate_inode_pages(str');
  assert.equal(hunks.length, 1);
  const r = spliceHunks(fn, hunks);
  assert.ok(r.ok, !r.ok ? r.problem : '');
  assert.match(r.post.text, /^int invalidate_inode_pages2/m);
  assert.match(r.post.text, /did_full_unmap = 1;/);
  assert.doesNotMatch(r.post.text, /EXPORT_SYMBOL/);
  const low = lowerFunction({ c: r.post, whole: true }, 'invalidate_inode_pages2');
  assert.ok(low.ir);
  assert.deepEqual(low.notes.filter((n) => n.kind === 'syntax'), []);
});
