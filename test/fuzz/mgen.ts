/**
 * Documents for the model-tier fuzzer: the era library's own functions (do_no_page,
 * invalidate_inode_pages2, generic_file_direct_IO, filemap_nopage, truncate_inode_pages, …) with
 * their bodies mutated, so the patched function really replaces its library twin and runs in the
 * scenarios. Mutations: lines deleted, duplicated and swapped; statements of the model's
 * primitives inserted (locks, flags, refcounts, spinlocks, semaphores, early returns, endless
 * loops, division by zero, null stores); operators and primitives swapped; the function calling
 * itself or another library function with its own parameters. The result is wrapped as a whole
 * rewrite (`-` old, `+` new), as unified-diff hunks with three lines of context and the function
 * in the `@@` line (so the post side is spliced into the library), or pasted into a mail.
 *
 * Parameters are plain data (indexes taken modulo what they index), so fast-check shrinks a
 * failing case by dropping mutations; the text is built from them once the parser is loaded
 * (`modelDocument` reads the library through the same loader the model uses).
 */
import fc from 'fast-check';
import { eras, libraryFunctions } from '../../server/src/model/library/index';
import { prng } from './cgen';

export type BodyMutation =
  | { op: 'del'; at: number; len: number }
  | { op: 'dup'; at: number }
  | { op: 'swap'; at: number }
  | { op: 'insert'; at: number; what: number }
  | { op: 'token'; at: number; what: number }
  | { op: 'self'; at: number }
  | { op: 'call'; at: number; fn: number };

export type ModelWrap = 'rewrite' | 'hunks' | 'mail';

export interface ModelParams {
  era: number;
  fn: number;
  mutations: BodyMutation[];
  wrap: ModelWrap;
  seed: number;
}

// Statements over the names the library bodies use (page, mapping, mm, vma, inode, iocb, ret...):
// a name a body lacks is an unknown global to the model, which is a case worth running too.
const SNIPPETS = [
  'lock_page(page);', 'unlock_page(page);', 'page_cache_release(page);', 'page_cache_get(page);', 'SetPageDirty(page);',
  'set_page_dirty(page);', 'ClearPageUptodate(page);', 'SetPageUptodate(page);', 'clear_page_dirty(page);', 'wait_on_page_writeback(page);',
  'spin_lock(&mm->page_table_lock);', 'spin_unlock(&mm->page_table_lock);', 'spin_lock_irq(&mapping->tree_lock);', 'spin_unlock_irq(&mapping->tree_lock);',
  'down(&inode->i_sem);', 'up(&inode->i_sem);', 'cond_resched();', 'return 0;', 'return -EIO;', 'return;', 'goto out;', 'page = NULL;',
  'page = find_get_page(mapping, 0);', 'mapping->truncate_count++;', 'unmap_mapping_range(mapping, 0, 0, 0);',
  'invalidate_complete_page(mapping, page);', 'truncate_complete_page(mapping, page);', 'remove_from_page_cache(page);',
  'filemap_write_and_wait(mapping);', 'aio_complete(iocb, 0, 0);', 'retval = -EIOCBQUEUED;', 'BUG_ON(PageLocked(page));',
  'for (;;) cond_resched();', 'while (1) ;', 'while (PageLocked(page)) cond_resched();', 'if (PageDirty(page)) return 0;',
  'ret = 1 / 0;', 'ret = ret % 0;', 'ret = 1 << 70;', 'ret = *(int *)0;', '*(int *)0 = 1;', 'page->index = -1;', 'mapping->nrpages = 0;',
  'inode->i_size = -1;', 'atomic_inc(&page->_count);', 'zap_page_range(vma, 0, ~0UL);', 'page = page->mapping;', 'i = -1;', 'next = ~0UL;',
];

// A token of a line and what it becomes (the first occurrence is replaced).
const SWAPS: [string, string][] = [
  ['lock_page', 'unlock_page'], ['unlock_page', 'lock_page'], ['==', '!='], ['!=', '=='], ['&&', '||'], ['||', '&&'], ['<', '<='],
  ['0', '1'], ['1', '0'], ['spin_lock', 'spin_unlock'], ['spin_unlock', 'spin_lock'], ['return', 'goto retry; return'], ['break', 'continue'],
  ['page', 'NULL'], ['!', ''], ['TestSetPageLocked', 'PageLocked'], ['PAGE_CACHE_SHIFT', '64'], ['+ 1', '- 1'], ['mapping', 'NULL'],
];

interface LibFn {
  era: string;
  name: string;
  file: string;
  startLine: number;
  head: string[];
  body: string[];
  params: string[];
}

let catalog: LibFn[] | undefined;

/** The library functions of every era, split into head (to the `{` line), body and parameter names. */
export function libraryCatalog(): LibFn[] {
  if (catalog) return catalog;
  catalog = [];
  for (const era of eras()) {
    for (const [name, fn] of libraryFunctions(era)) {
      const lines = fn.text.replace(/\n$/, '').split('\n');
      const open = lines.findIndex((l) => l.trimEnd() === '{');
      if (open < 0 || lines[lines.length - 1] !== '}') continue;
      const sig = lines.slice(0, open).join(' ');
      const list = sig.slice(sig.indexOf('(') + 1, sig.lastIndexOf(')'));
      const params = list.split(',').map((p) => /([A-Za-z_]\w*)\s*(\[\s*\])?\s*$/.exec(p.trim())?.[1] ?? '').filter((p) => p && p !== 'void');
      catalog.push({ era, name, file: fn.file.replace(/\.patch$/, ''), startLine: fn.origin[0]?.line ?? 0, head: lines.slice(0, open + 1), body: lines.slice(open + 1, -1), params });
    }
  }
  return catalog;
}

function mutate(fn: LibFn, all: LibFn[], m: BodyMutation, body: string[]): string[] {
  const n = body.length;
  const at = n === 0 ? 0 : m.at % n;
  const indent = /^\s*/.exec(body[at] ?? '\t')![0] || '\t';
  const out = [...body];
  switch (m.op) {
    case 'del': out.splice(at, m.len); return out;
    case 'dup': out.splice(at, 0, body[at] ?? ''); return out;
    case 'swap': if (at + 1 < n) [out[at], out[at + 1]] = [out[at + 1]!, out[at]!]; return out;
    case 'insert': out.splice(at, 0, `${indent}${SNIPPETS[m.what % SNIPPETS.length]}`); return out;
    case 'token': {
      const [from, to] = SWAPS[m.what % SWAPS.length]!;
      // The next line (from `at`) that holds the token, so most token mutations change something.
      for (let k = 0; k < n; k++) {
        const i = (at + k) % n;
        if (out[i]!.includes(from) && !/^\s*(\/?\*|\/\/)/.test(out[i]!)) { out[i] = out[i]!.replace(from, to); break; }
      }
      return out;
    }
    case 'self': out.splice(at, 0, `${indent}${fn.name}(${fn.params.join(', ')});`); return out;
    case 'call': {
      const other = all[m.fn % all.length]!;
      const args = other.params.map((p, i) => (fn.params.includes(p) ? p : fn.params[i % Math.max(1, fn.params.length)] ?? '0'));
      out.splice(at, 0, `${indent}ret = ${other.name}(${args.join(', ')});`);
      return out;
    }
  }
}

/** Hunks (unified diff, three lines of context) from an LCS of old and new lines. */
function hunks(a: string[], b: string[], base: number, title: string): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { k: ' ' | '-' | '+'; t: string; i: number; j: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ k: ' ', t: a[i]!, i: i++, j: j++ });
    else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ k: '+', t: b[j]!, i, j: j++ });
    else ops.push({ k: '-', t: a[i]!, i: i++, j });
  }
  const out: string[] = [];
  for (let s = 0; s < ops.length;) {
    const first = ops.findIndex((o, x) => x >= s && o.k !== ' ');
    if (first < 0) break;
    let end = first;
    // Extend over changes less than seven context lines apart (two hunks' contexts would touch).
    for (let x = first; x < ops.length; x++) {
      if (ops[x]!.k !== ' ') end = x;
      else if (x - end > 6) break;
    }
    const from = Math.max(s, first - 3);
    const to = Math.min(ops.length, end + 4);
    const part = ops.slice(from, to);
    const oldN = part.filter((o) => o.k !== '+').length;
    const newN = part.filter((o) => o.k !== '-').length;
    out.push(`@@ -${base + ops[from]!.i},${oldN} +${base + ops[from]!.j},${newN} @@ ${title}`, ...part.map((o) => `${o.k}${o.t}`));
    s = to;
  }
  return out;
}

/** The document of one set of parameters. Needs initEngine() (the library is read through tree-sitter). */
export function modelDocument(p: ModelParams): { text: string; fn: string; era: string } {
  const all = libraryCatalog();
  const names = [...new Set(all.map((f) => f.era))];
  const era = names[p.era % names.length]!;
  const mine = all.filter((f) => f.era === era);
  const fn = mine[p.fn % mine.length]!;
  let body = fn.body;
  for (const m of p.mutations) body = mutate(fn, mine, m, body);
  const oldLines = [...fn.head, ...fn.body, '}'];
  const newLines = [...fn.head, ...body, '}'];
  const path = `mm/${fn.file.split('/').pop()}`;
  const files = [`--- a/${path}`, `+++ b/${path}`];
  const r = prng(p.seed);
  let text: string;
  if (p.wrap === 'rewrite') {
    text = [...files, `@@ -${fn.startLine + 1},${oldLines.length} +${fn.startLine + 1},${newLines.length} @@`, ...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`), ''].join('\n');
  } else if (p.wrap === 'hunks') {
    // The `@@` line names the function as diff -p would: the first line of its head with a '('.
    const h = hunks(oldLines, newLines, fn.startLine + 1, fn.head.find((l) => l.includes('(')) ?? fn.head[0]!);
    text = [`Subject: [PATCH] ${fn.name}: fuzz`, '', `Changes ${fn.name}().`, '', ...files, ...h, ''].join('\n');
  } else {
    // Mail code: half the lines quoted, as a reply would paste it.
    text = ['From: Fuzz <fuzz@example.invalid>', `Subject: Re: ${fn.name}`, '', 'Does this work?', '', ...newLines.map((l) => (r() < 0.3 ? `> ${l}` : l)), '', '-- ', 'fuzz', ''].join('\n');
  }
  return { text, fn: fn.name, era };
}

const at = fc.nat({ max: 10_000 });

/**
 * One body mutation. `selfWeight` 0 leaves out the function calling itself: endless recursion
 * costs the model 100-500 ms per step (README), too slow for `npm test`; the long run keeps it.
 */
function mutation(selfWeight: number): fc.Arbitrary<BodyMutation> {
  return fc.oneof(
    fc.record({ op: fc.constant('del' as const), at, len: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ op: fc.constant('dup' as const), at }),
    fc.record({ op: fc.constant('swap' as const), at }),
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at, what: fc.nat({ max: 1000 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('token' as const), at, what: fc.nat({ max: 1000 }) }) },
    { weight: selfWeight, arbitrary: fc.record({ op: fc.constant('self' as const), at }) },
    fc.record({ op: fc.constant('call' as const), at, fn: fc.nat({ max: 1000 }) }),
  );
}

/** Parameters of a library-function mutant; no mutation at all runs the library as a patch. */
export function modelParams(maxMutations = 4, selfWeight = 1): fc.Arbitrary<ModelParams> {
  return fc.record({
    era: fc.nat({ max: 30 }),
    fn: fc.nat({ max: 1000 }),
    mutations: fc.array(mutation(selfWeight), { maxLength: maxMutations }),
    wrap: fc.constantFrom<ModelWrap>('rewrite', 'hunks', 'hunks', 'mail'),
    seed: fc.nat({ max: 0x7fffffff }),
  });
}
