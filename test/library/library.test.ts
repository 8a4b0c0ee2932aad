import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { seedPath, seedsSkip } from '../support/seeds';
import { parseC, type SyntaxNode } from '../../server/src/c/parser';
import { initEngine } from '../support/engine';
import type { CText } from '../../server/src/functions/patch-function';
import { parseDocument } from '../../server/src/intake/parse';
import { lowerFunction } from '../../server/src/lower/lower';
import { messageEras } from '../../server/src/functions/era';
import { eras, layersOf, libraryErrors, libraryFile, libraryFunctions, librarySource } from '../../server/src/model/library/index';

function problemsIn(node: SyntaxNode, out: string[] = []): string[] {
  if (node.type === 'ERROR' || node.isMissing) out.push(`${node.type} at ${node.startPosition.row + 1}: ${node.text.slice(0, 40)}`);
  for (const c of node.children) if (c) problemsIn(c, out);
  return out;
}

test('the era libraries are layers, oldest (the base) first', async () => {
  await initEngine();
  assert.deepEqual(eras(), ['2.5.70', '2.6.10', '2.6.11', '2.6.12', '2.6.15', '2.6.18', '2.6.19', '2.6.20', '2.6.23']);
  assert.deepEqual(layersOf('2.6.20'), ['2.5.70', '2.6.10', '2.6.11', '2.6.12', '2.6.15', '2.6.18', '2.6.19', '2.6.20']);
  assert.deepEqual(librarySource('2.5.70').map((f) => f.file), ['drivers.c', 'filemap.c', 'memory.c', 'truncate.c'].map((n) => `2.5.70/${n}`));
  assert.deepEqual(layersOf('9.9.9'), []);
});

test('a later layer replaces, keeps and removes functions of the earlier ones', async () => {
  await initEngine();
  const l2610 = libraryFunctions('2.6.10');
  const l2620 = libraryFunctions('2.6.20');
  assert.equal(l2620.get('zap_pte_range')!.file, '2.5.70/memory.c');
  // 2.6.10 changed do_no_page by a diff against 2.5.70's.
  assert.equal(l2610.get('do_no_page')!.file, '2.6.10/memory.c.patch');
  // The same text from 2.6.12 to 2.6.20: the 2.6.12 layer's diff writes it; 2.6.11's diff had the whole-file form.
  assert.equal(l2620.get('generic_file_direct_IO')!.file, '2.6.12/filemap.c.patch');
  assert.equal(libraryFunctions('2.6.11').get('generic_file_direct_IO')!.file, '2.6.11/filemap.c.patch');
  // 2.6.11 kept 2.6.10's invalidate_complete_page (no count check) under its new unmap loop.
  assert.equal(libraryFunctions('2.6.11').get('invalidate_complete_page')!.file, '2.6.10/truncate.c');
  assert.ok(libraryFunctions('2.5.70').has('invalidate_mmap_range'));
  assert.equal(l2610.has('invalidate_mmap_range'), false, 'layer.json of 2.6.10 removes it');
  assert.equal(libraryFile('2.5.70/memory.c')!.text, librarySource('2.5.70').find((f) => f.file === '2.5.70/memory.c')!.text);
  assert.equal(libraryFile('2.6.20/memory.c'), undefined);
});

test('every layer composes: each diff applies strictly to the era before it', async () => {
  await initEngine();
  assert.deepEqual(libraryErrors(), []);
});

test('no layer writes a function the same way as the layer it replaces', async () => {
  await initEngine();
  const all = eras();
  for (let i = 1; i < all.length; i++) {
    const before = libraryFunctions(all[i - 1]!);
    for (const [name, fn] of libraryFunctions(all[i]!)) {
      if (fn.file.startsWith(`${all[i]}/`)) assert.notEqual(before.get(name)?.text, fn.text, `${fn.file} ${name} is a copy`);
    }
  }
});

test('every library file parses with no ERROR or MISSING node', async () => {
  await initEngine();
  for (const era of eras()) {
    for (const f of librarySource(era)) {
      const tree = parseC(f.text);
      assert.deepEqual(problemsIn(tree.rootNode), [], f.file);
      tree.delete();
    }
  }
});

test('every library function lowers with no syntax note', async () => {
  await initEngine();
  for (const era of eras()) {
    for (const [name, fn] of libraryFunctions(era)) {
      const c: CText = {
        text: fn.text,
        map: fn.text.split('\n').map((_, i) => ({ line: fn.origin[i]?.line ?? -1, character: 0 })),
        source: { kind: 'library', file: fn.file },
      };
      const r = lowerFunction({ c, whole: true }, name);
      assert.ok(r.ir, `${era} ${name}: ${JSON.stringify(r.notes)}`);
      assert.deepEqual(r.notes.filter((n) => n.kind === 'syntax'), [], `${era} ${name}`);
    }
  }
});

test('each era defines the functions its scenarios and the seeds need', async () => {
  await initEngine();
  const need: Record<string, string[]> = {
    '2.5.70': ['do_no_page', 'filemap_nopage', 'invalidate_mmap_range', 'vmtruncate', 'truncate_inode_pages', 'user_fault', 'sys_truncate'],
    '2.6.10': ['do_no_page', 'filemap_nopage', 'invalidate_complete_page', 'invalidate_inode_pages2', 'unmap_mapping_range',
      'generic_file_direct_IO', 'do_generic_mapping_read', 'zap_pte_range', 'sys_dio_write', 'nfs_revalidate', 'writeback_one',
      'get_user_pages_pin', 'sys_munmap', 'kpr_epilogue'],
    '2.6.20': ['invalidate_inode_pages2_range', 'generic_file_direct_IO', 'aio_run_iocb', 'dio_bio_end_aio', 'do_no_page', 'vmtruncate'],
  };
  for (const [era, names] of Object.entries(need)) {
    const fns = libraryFunctions(era);
    for (const n of names) assert.ok(fns.has(n), `${era} ${n}`);
  }
  // do_no_page's head is 2.5.70's line; the truncate_count sample is a + line of 2.6.10's diff.
  const dnp = libraryFunctions('2.6.10').get('do_no_page')!;
  assert.equal(dnp.file, '2.6.10/memory.c.patch');
  assert.deepEqual(dnp.origin[1]!.file, '2.5.70/memory.c');
  assert.match(readFileSync(join(__dirname, '../../server/src/model/library/2.5.70/memory.c'), 'utf8').split('\n')[dnp.origin[1]!.line], /^do_no_page\(/);
  const sample = dnp.text.split('\n').findIndex((l) => l.includes('sequence = atomic_read(&mapping->truncate_count)'));
  assert.equal(dnp.origin[sample]!.file, '2.6.10/memory.c.patch');
  assert.match(readFileSync(join(__dirname, '../../server/src/model/library/2.6.10/memory.c.patch'), 'utf8').split('\n')[dnp.origin[sample]!.line], /^\+\s+sequence = atomic_read\(&mapping->truncate_count\);/);
});

const seedEra: [string, string][] = [['000_', '2.6.10'], ['002_', '2.6.20'], ['003_', '2.5.70']];
for (const [prefix, era] of seedEra) {
  test(`the era chooser picks ${era} for seed ${prefix}`, { skip: seedsSkip() }, async () => {
    await initEngine();
    const seed = seedPath(prefix.replace(/_$/, ''));
    const doc = parseDocument(readFileSync(seed, 'utf8'), basename(seed));
    assert.deepEqual([...new Set(messageEras(doc).values())], [era]);
  });
}
