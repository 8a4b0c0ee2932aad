// Splicing hunks into the era library's bodies and choosing the era (DESIGN section 4): a
// document in, bodies out. Fixtures in test/fixtures/splice are written against the library C
// in server/src/model/library; the seeds are read from the shared folder when it is there.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { seedPath, seedsSkip } from '../support/seeds';
import { join } from 'node:path';
import { parseC } from '../../server/src/c/parser';
import { initEngine } from '../support/engine';
import { extractFunctions } from '../../server/src/functions/extract';
import type { FunctionSide, PatchFunction } from '../../server/src/functions/patch-function';
import { parseDocument } from '../../server/src/intake/parse';
import { lowerFunction } from '../../server/src/lower/lower';
import { libraryFunctions } from '../../server/src/model/library/index';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'splice', name), 'utf8');
const noSeeds = seedsSkip();
const seedText = (prefix: string) => readFileSync(seedPath(prefix.replace(/_$/, '')), 'utf8');

function extract(text: string, name = 'fixture.patch') {
  const doc = parseDocument(text, name);
  return { doc, ...extractFunctions(doc) };
}

function only(fns: PatchFunction[], name: string): PatchFunction {
  const f = fns.filter((x) => x.name === name);
  assert.equal(f.length, 1, `${name} among ${fns.map((x) => x.name).join(', ')}`);
  return f[0]!;
}

/** The side lowers, with no syntax notes, and its text parses with no error node. */
function assertRuns(side: FunctionSide | undefined, name: string): void {
  assert.ok(side);
  const r = lowerFunction(side, name);
  assert.ok(r.ir, `${name} lowers`);
  assert.deepEqual(r.notes.filter((n) => n.kind === 'syntax'), []);
  const tree = parseC(side.c.text);
  assert.equal(tree.rootNode.hasError, false, side.c.text);
  tree.delete();
}

before(() => initEngine());

test('two hunks inside a library function splice into its whole body, changed in two statements', () => {
  const { doc, functions, problems } = extract(fixture('two-hunks.patch'));
  assert.deepEqual(problems, []);
  const fn = only(functions, 'invalidate_complete_page');
  // The function is the same in 2.6.18 and 2.6.20: the linux-2.6.18 paths break the tie.
  assert.deepEqual([fn.era, fn.preOrigin, fn.postOrigin, fn.pre?.whole, fn.post?.whole], ['2.6.18', 'library', 'spliced', true, true]);
  const lib = libraryFunctions('2.6.18').get('invalidate_complete_page')!;
  assert.equal(fn.pre!.c.text, lib.text);
  const changed = lib.text
    .replace('try_to_release_page(page, 0)', 'try_to_release_page(page, GFP_KERNEL)')
    .replace('page_count(page) != 2', 'page_count(page) > 2');
  assert.notEqual(changed, lib.text);
  assert.equal(fn.post!.c.text, changed);
  // The '+' lines map to their document lines (one column in, after the marker); library lines
  // map to no document line and name their library file and line.
  const post = fn.post!.c;
  const rows = post.text.split('\n');
  for (const added of ['GFP_KERNEL))', 'page_count(page) > 2']) {
    const row = rows.findIndex((l) => l.includes(added));
    const docLine = doc.lines.findIndex((l) => l.startsWith('+') && l.includes(added));
    assert.deepEqual(post.map[row], { line: docLine, character: 1 });
    assert.equal(post.origin?.[row], 'document');
  }
  assert.deepEqual(post.map[0], { line: -1, character: 0 });
  assert.deepEqual(post.origin?.[0], lib.origin[0]);
  const last = rows.length - 2;
  assert.deepEqual(post.origin?.[last], lib.origin[last]);
  assertRuns(fn.pre, fn.name);
  assertRuns(fn.post, fn.name);
});

test('a hunk whose context the library body lacks stays a fragment, with a warning at its @@ line', () => {
  const { doc, functions, problems } = extract(fixture('no-context.patch'));
  const fn = only(functions, 'invalidate_complete_page');
  assert.deepEqual([fn.preOrigin, fn.postOrigin], ['fragment', 'fragment']);
  assert.equal(problems.length, 1);
  const at = doc.lines.findIndex((l) => l.startsWith('@@'));
  assert.equal(problems[0]!.range.start.line, at);
  assert.equal(problems[0]!.severity, 'warning');
  // 2.6.10's invalidate_complete_page is every era's up to 2.6.15; with no date the code tie goes to the newest.
  assert.match(problems[0]!.message, /^context of this hunk does not match 2\.6\.15 invalidate_complete_page: first unmatched line `if \(PageWriteback\(page\)\) \{`/);
});

test('context the library holds in another order is tolerated: the change is placed between its aligned statements', () => {
  // Placement by statements tolerates unmatched context on either side (DESIGN section 4): the
  // PagePrivate check the hunk shows first is not where the library has it, but the changed lock
  // sits between aligned statements, so the hunk is placed, `aligned` with 3 of its 5 statements.
  const { functions, problems } = extract(fixture('wrong-order.patch'));
  assert.deepEqual(problems, []);
  const fn = only(functions, 'invalidate_complete_page');
  assert.deepEqual([fn.preOrigin, fn.postOrigin], ['library', 'spliced']);
  assert.deepEqual(fn.hunks.map((h) => h.placement), [{ placement: 'aligned', matched: 3, context: 5 }]);
  const lib = libraryFunctions('2.6.10').get('invalidate_complete_page')!;
  assert.equal(fn.pre!.c.text, lib.text);
  assert.equal(fn.post!.c.text, lib.text.replace('\tspin_lock_irq(&mapping->tree_lock);', '\tspin_lock(&mapping->tree_lock);'));
});

test('an akpm-style patch whose context only the 2.5.70 library holds gets that era and splices', () => {
  const { functions, problems } = extract(fixture('akpm-2.5.70.patch'), 'akpm.patch');
  assert.deepEqual(problems, []);
  const fn = only(functions, 'do_no_page');
  assert.deepEqual([fn.era, fn.preOrigin, fn.postOrigin], ['2.5.70', 'library', 'spliced']);
  assert.match(fn.post!.c.text, /^static int\ndo_no_page\(/);
  assert.match(fn.post!.c.text, /\tif \(unlikely\(!pte_chain\)\) \{\n\t\tpage_cache_release\(new_page\);/);
  assert.doesNotMatch(fn.post!.c.text, /\tif \(!pte_chain\)/);
  assertRuns(fn.post, fn.name);
});

test('a hunk with no hint and no signature is named after the library function it aligns with', () => {
  const { functions, problems } = extract(fixture('unnamed.patch'));
  assert.deepEqual(problems, []);
  assert.equal(functions.length, 1);
  const fn = functions[0]!;
  assert.deepEqual([fn.name, fn.preOrigin, fn.postOrigin], ['filemap_fdatawait', 'library', 'spliced']);
  assert.match(fn.post!.c.text, /wait_on_page_writeback\(page\);\n\t\t\tnext = page->index \+ 1;/);
  assertRuns(fn.post, fn.name);
});

test('seed 000: generic_file_direct_IO is spliced into 2.6.10 and keeps the library signature', { skip: noSeeds }, () => {
  const { doc, functions, problems } = extract(seedText('000_'), '000.txt');
  assert.deepEqual(problems, []);
  const fn = only(functions, 'generic_file_direct_IO');
  assert.deepEqual([fn.era, fn.preOrigin, fn.postOrigin], ['2.6.10', 'library', 'spliced']);
  const post = fn.post!.c;
  assert.match(post.text, /^ssize_t\ngeneric_file_direct_IO\(int rw, struct kiocb \*iocb/);
  assert.match(post.text, /unmap_mapping_range\(mapping, 0, -1, 0\);/);
  assert.match(post.text, /int err = invalidate_inode_pages2\(mapping\);/);
  assert.match(fn.pre!.c.text, /\t\t\tinvalidate_inode_pages2\(mapping\);/);
  const row = post.text.split('\n').findIndex((l) => l.includes('unmap_mapping_range(mapping, 0, -1, 0)'));
  assert.equal(doc.lines[post.map[row]!.line], '+\t\tunmap_mapping_range(mapping, 0, -1, 0);');
  for (const f of functions) { assertRuns(f.pre, f.name); assertRuns(f.post, f.name); }
});

test('seed 001: the pasted invalidate_inode_pages2 is most like the 2.6.10 library version', { skip: noSeeds }, () => {
  const { functions } = extract(seedText('001_'), '001.txt');
  assert.deepEqual(functions.map((f) => [f.name, f.postOrigin, f.era]), [['invalidate_inode_pages2', 'present', '2.6.10']]);
});

test('seed 002: the unnamed fragment is generic_file_direct_IO of 2.6.20, spliced', { skip: noSeeds }, () => {
  const { functions, problems } = extract(seedText('002_'), '002.txt');
  assert.deepEqual(problems, []);
  assert.deepEqual(functions.map((f) => [f.name, f.era, f.preOrigin, f.postOrigin]), [['generic_file_direct_IO', '2.6.20', 'library', 'spliced']]);
  const fn = functions[0]!;
  assert.match(fn.post!.c.text, /^ssize_t\ngeneric_file_direct_IO\(/);
  assert.match(fn.post!.c.text, /retval = invalidate_inode_pages2_range\(mapping,\n\t+offset >> PAGE_CACHE_SHIFT, end\);\n\t\tif \(retval\)\n\t\t\tgoto out;/);
  assert.match(fn.post!.c.text, /\nout:\n\treturn retval;\n\}\n$/);
  assert.match(fn.pre!.c.text, /\t\t\tif \(err\)\n\t\t\t\tretval = err;/);
  assertRuns(fn.pre, fn.name);
  assertRuns(fn.post, fn.name);
});

test('seed 003: do_no_page and invalidate_mmap_range are spliced into 2.5.70', { skip: noSeeds }, () => {
  const { functions, problems } = extract(seedText('003_'), '003.txt');
  assert.deepEqual(problems, []);
  const dnp = only(functions, 'do_no_page');
  const imr = only(functions, 'invalidate_mmap_range');
  for (const f of [dnp, imr]) {
    assert.deepEqual([f.era, f.preOrigin, f.postOrigin], ['2.5.70', 'library', 'spliced'], f.name);
    assertRuns(f.pre, f.name);
    assertRuns(f.post, f.name);
  }
  assert.match(dnp.post!.c.text, /if \(unlikely\(sequence != atomic_read\(&mapping->truncate_count\)\)\) \{\n\t\tspin_unlock\(&mm->page_table_lock\);\n\t\tpage_cache_release\(new_page\);\n\t\tgoto retry;/);
  assert.match(dnp.post!.c.text, /\tspin_unlock\(&mm->page_table_lock\);\n\n\tmapping = vma->vm_file->f_dentry->d_inode->i_mapping;\nretry:\n/);
  assert.doesNotMatch(dnp.pre!.c.text, /truncate_count/);
  assert.match(imr.post!.c.text, /down\(&mapping->i_shared_sem\);\n\t\/\* Protect against page fault \*\/\n\tatomic_inc\(&mapping->truncate_count\);/);
  // Functions the library does not model stay fragments, silently.
  assert.deepEqual(functions.filter((f) => f.preOrigin === 'fragment').map((f) => f.name).sort(), ['init_blkmtd', 'inode_init_once']);
});
