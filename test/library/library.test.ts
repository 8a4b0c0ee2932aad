import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initParser, parseC, type SyntaxNode } from '../../server/src/c/parser';
import type { CText } from '../../server/src/functions/types';
import { parseDocument } from '../../server/src/intake/parse';
import { lowerFunction } from '../../server/src/lower/lower';
import { eras, libraryFunctions, librarySource, matchEra } from '../../server/src/model/library/index';

const seedsDir = process.env.KPR_SEEDS ?? join(__dirname, '..', '..', '..', 'shared', 'seeds');

function problemsIn(node: SyntaxNode, out: string[] = []): string[] {
  if (node.type === 'ERROR' || node.isMissing) out.push(`${node.type} at ${node.startPosition.row + 1}: ${node.text.slice(0, 40)}`);
  for (const c of node.children) if (c) problemsIn(c, out);
  return out;
}

test('the three era libraries exist, oldest first', () => {
  assert.deepEqual(eras(), ['2.5.70', '2.6.10', '2.6.20']);
  for (const era of eras()) {
    assert.deepEqual(librarySource(era).map((f) => f.file), ['drivers.c', 'filemap.c', 'memory.c', 'truncate.c'].map((n) => `${era}/${n}`));
  }
});

test('every library file parses with no ERROR or MISSING node', async () => {
  await initParser();
  for (const era of eras()) {
    for (const f of librarySource(era)) {
      const tree = parseC(f.text);
      assert.deepEqual(problemsIn(tree.rootNode), [], f.file);
      tree.delete();
    }
  }
});

test('every library function lowers with no syntax note', async () => {
  await initParser();
  for (const era of eras()) {
    for (const [name, fn] of libraryFunctions(era)) {
      const c: CText = {
        text: fn.text,
        map: fn.text.split('\n').map((_, i) => ({ line: fn.startLine + i, character: 0 })),
        source: { kind: 'library', file: fn.file },
      };
      const r = lowerFunction({ c, whole: true }, name);
      assert.ok(r.ir, `${era} ${name}: ${JSON.stringify(r.notes)}`);
      assert.deepEqual(r.notes.filter((n) => n.kind === 'syntax'), [], `${era} ${name}`);
    }
  }
});

test('each era defines the functions its scenarios and the seeds need', async () => {
  await initParser();
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
  const dnp = libraryFunctions('2.6.10').get('do_no_page')!;
  assert.equal(dnp.file, '2.6.10/memory.c');
  assert.match(readFileSync(join(__dirname, '../../server/src/model/library/2.6.10/memory.c'), 'utf8').split('\n')[dnp.startLine + 1], /^do_no_page\(/);
});

/** The pre-image lines (context and removed) of every hunk of a seed, read through intake. */
function preImage(seed: string): string[] {
  const doc = parseDocument(readFileSync(join(seedsDir, seed), 'utf8'), seed);
  return doc.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== '+').map((l) => l.text)));
}

const seedEra: [string, string][] = [['000_', '2.6.10'], ['002_', '2.6.20'], ['003_', '2.5.70']];
for (const [prefix, era] of seedEra) {
  test(`matchEra picks ${era} for the pre-image of seed ${prefix}`, { skip: !existsSync(seedsDir) && 'seeds not available' }, () => {
    const seed = readdirSync(seedsDir).find((n) => n.startsWith(prefix));
    assert.ok(seed);
    const ranked = matchEra(preImage(seed));
    assert.equal(ranked[0].era, era, JSON.stringify(ranked));
    assert.ok(ranked[0].score > ranked[1].score, JSON.stringify(ranked));
  });
}

test('matchEra ignores whitespace, comments and braces', () => {
  const ranked = matchEra(['   if (rw == WRITE &&   mapping->nrpages)', '/* any comment */', '}', '', '   invalidate_inode_pages2(mapping);']);
  assert.deepEqual(ranked[0], { era: '2.6.10', score: 2 });
  assert.deepEqual(matchEra(['}', ' * comment']).map((r) => r.score), [0, 0, 0]);
});
