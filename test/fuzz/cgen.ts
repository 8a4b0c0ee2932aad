/**
 * Generated C for the pipeline fuzzer: pathological function bodies (deep nesting, huge bodies,
 * goto spaghetti, endless loops, fallthrough, macros, odd comments, broken braces) wrapped into
 * the document forms intake reads (whole function in a hunk, fragment hunk, -/+ rewrite, mail
 * paste). fast-check chooses the parameters (shape, depth, size, a PRNG seed), and the text is
 * built from them deterministically, so a failure is reproduced by its parameters and shrinks by
 * shrinking depth and size rather than by editing text.
 */
import fc from 'fast-check';

/** A small deterministic PRNG (mulberry32): the text must be a pure function of the parameters. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

// Names the model knows (so rules and primitives get exercised) mixed with unknown ones.
const CALLS = ['lock_page', 'unlock_page', 'TestSetPageLocked', 'wait_on_page_writeback', 'SetPageUptodate', 'ClearPageUptodate',
  'page_cache_release', 'find_get_page', 'invalidate_complete_page', 'spin_lock', 'spin_unlock', 'cond_resched', 'set_page_dirty',
  'truncate_complete_page', 'filemap_write_and_wait', 'unmap_mapping_range', 'aio_complete', 'mystery_call', 'BUG_ON', 'likely', 'unlikely'];
const VARS = ['page', 'mapping', 'ret', 'i', 'index', 'err', 'nr', 'x'];
const LIB_NAMES = ['invalidate_inode_pages2', 'filemap_nopage', 'truncate_inode_pages', 'do_no_page', 'vmtruncate', 'zap_pte_range',
  'generic_file_direct_IO', 'unmap_mapping_range', 'fuzz_fn'];

function atom(r: Rand): string {
  return pick(r, [...VARS, '0', '1', '-EIO', '-EIOCBQUEUED', 'PAGE_CACHE_SIZE', '0xffffffffUL', '1 << 31', "'a'", 'NULL', 'page->index', 'mapping->nrpages']);
}

/** An expression nested `depth` levels through every operator form lowering handles. */
export function expr(r: Rand, depth: number): string {
  let e = atom(r);
  for (let d = 0; d < depth; d++) {
    switch (int(r, 10)) {
      case 0: e = `(${e})`; break;
      case 1: e = `${pick(r, ['!', '-', '~', '*', '&'])}${e}`; break;
      case 2: e = `${e} ${pick(r, ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '==', '<', '>='])} ${atom(r)}`; break;
      case 3: e = `${pick(r, CALLS)}(${e})`; break;
      case 4: e = `${e} ${pick(r, ['&&', '||'])} ${pick(r, CALLS)}(${atom(r)})`; break;
      case 5: e = `${atom(r)} ? ${e} : ${pick(r, CALLS)}(x)`; break;
      case 6: e = `(${pick(r, ['unsigned long', 'int', 'struct page *', 'loff_t'])})${e}`; break;
      case 7: e = `${e}[${atom(r)}]`; break;
      case 8: e = `(x = ${e})`; break;
      default: e = `${e}, ${atom(r)}++`; break;
    }
  }
  return e;
}

function simpleStatement(r: Rand, labels: number): string {
  switch (int(r, 9)) {
    case 0: return `${pick(r, CALLS)}(${atom(r)});`;
    case 1: return `${pick(r, VARS)} = ${expr(r, int(r, 4))};`;
    case 2: return `${pick(r, ['unsigned long', 'int', 'struct page *'])} ${pick(r, VARS)}${int(r, 50)} = ${expr(r, int(r, 3))};`;
    case 3: return labels > 0 ? `goto l${int(r, labels)};` : 'break;';
    case 4: return pick(r, ['return ret;', 'return;', 'continue;', 'break;', ';', 'return -EIO;']);
    case 5: return `${pick(r, VARS)}${pick(r, ['++', '--', ' += 2', ' <<= 33', ' /= 0'])};`;
    case 6: return `ret = ${pick(r, CALLS)}(${pick(r, VARS)}, ${expr(r, 2)});`;
    case 7: return pick(r, ['DEFINE_WAIT(wait);', 'list_for_each_entry(page, &head, lru)', 'BUG();', '#ifdef CONFIG_SMP', '#endif', '#define X(a) ((a)+1)', 'asm volatile("" ::: "memory");']);
    default: return `if (${expr(r, int(r, 3))}) ${pick(r, CALLS)}(page);`;
  }
}

/** Nested control statements around a simple core, `depth` levels deep. */
function nestedBlocks(r: Rand, depth: number): string[] {
  const open: string[] = [];
  const close: string[] = [];
  for (let d = 0; d < depth; d++) {
    const kind = int(r, 7);
    if (kind === 0) { open.push(`if (${expr(r, 1)}) {`); close.push('}'); }
    else if (kind === 1) { open.push(`while (${expr(r, 1)}) {`); close.push('}'); }
    else if (kind === 2) { open.push('for (;;) {'); close.push('}'); }
    else if (kind === 3) { open.push('do {'); close.push(`} while (${expr(r, 1)});`); }
    else if (kind === 4) { open.push(`switch (${atom(r)}) {`, `case ${d}:`); close.push('}'); }
    else if (kind === 5) { open.push('{'); close.push('}'); }
    else { open.push(`if (${atom(r)}) ${pick(r, CALLS)}(x); else {`); close.push('}'); }
  }
  return [...open, simpleStatement(r, 0), ...close.reverse()];
}

/** `n` statements with `labels` labels that gotos jump between, endless loops and fallthrough. */
function spaghetti(r: Rand, n: number, labels: number): string[] {
  const out: string[] = [];
  let placed = 0;
  for (let i = 0; i < n; i++) {
    if (placed < labels && r() < labels / Math.max(1, n)) out.push(`l${placed++}:`);
    const k = int(r, 12);
    if (k === 0) out.push('for (;;)', `\t${simpleStatement(r, labels)}`);
    else if (k === 1) out.push(`switch (${atom(r)}) {`, 'case 0:', `\t${simpleStatement(r, labels)}`, 'case 1:', `\t${simpleStatement(r, labels)}`, 'default:', '\tbreak;', '}');
    else if (k === 2) out.push('while (1) {', `\tif (${expr(r, 1)}) goto l${int(r, Math.max(1, labels))};`, '}');
    else if (k === 3) out.push('do {', `\t${simpleStatement(r, labels)}`, '} while (1);');
    else out.push(simpleStatement(r, labels));
  }
  while (placed < labels) out.push(`l${placed++}:`, '\t;');
  return out;
}

/** Damage: braces and parentheses deleted or added, comments in odd places, unterminated ones. */
function damage(r: Rand, lines: string[], amount: number): string[] {
  const out = [...lines];
  for (let k = 0; k < amount && out.length > 0; k++) {
    const i = int(r, out.length);
    const l = out[i]!;
    switch (int(r, 7)) {
      case 0: out[i] = l.replace(pick(r, ['{', '}', '(', ')', ';']), ''); break;
      case 1: out[i] = l + pick(r, ['{', '}', '(', ')']); break;
      case 2: { const c = int(r, l.length + 1); out[i] = `${l.slice(0, c)}/* ${pick(r, ['}', '{', '*/ x', 'goto l0;'])} */${l.slice(c)}`; break; }
      case 3: out[i] = `${l} // ${pick(r, ['}', 'if (', '\\'])}`; break;
      case 4: out.splice(i, 0, pick(r, ['/*', '*/', '#if 0', '#else', '#endif', '"unterminated', "'"])); break;
      case 5: out[i] = `${l} \\`; break;
      default: out.splice(i, 1); break;
    }
  }
  return out;
}

export type Shape = 'blocks' | 'expr' | 'huge' | 'spaghetti' | 'mixed';
export type Wrap = 'whole' | 'rewrite' | 'fragment' | 'mail' | 'bare';

export interface CParams {
  shape: Shape;
  depth: number;
  size: number;
  damage: number;
  wrap: Wrap;
  headerOk: boolean;
  seed: number;
}

/** The body lines of a generated function. */
export function body(p: CParams): string[] {
  const r = prng(p.seed);
  let lines: string[];
  switch (p.shape) {
    case 'blocks': lines = nestedBlocks(r, p.depth); break;
    case 'expr': lines = [`ret = ${expr(r, p.depth)};`, `if (${expr(r, Math.ceil(p.depth / 2))}) return ret;`]; break;
    case 'huge': lines = Array.from({ length: p.size }, () => simpleStatement(r, 0)); break;
    case 'spaghetti': lines = spaghetti(r, p.size, Math.max(1, Math.floor(p.size / 4))); break;
    default: lines = [...spaghetti(r, Math.ceil(p.size / 2), 2), ...nestedBlocks(r, p.depth), ...spaghetti(r, Math.floor(p.size / 2), 0)];
  }
  return damage(r, lines.map((l) => `\t${l}`), p.damage);
}

/** A generated function wrapped into one document form. */
export function cDocument(p: CParams): string {
  const r = prng(p.seed ^ 0x5bd1e995);
  const name = pick(r, LIB_NAMES);
  const fn = [`static int ${name}(struct address_space *mapping, pgoff_t start)`, '{', '\tint ret = 0;', ...body(p), '\treturn ret;', '}'];
  const header = (oldN: number, newN: number) =>
    p.headerOk ? `@@ -10,${oldN} +10,${newN} @@ static int ${name}(` : `@@ -${int(r, 100)},${int(r, 9)} +${int(r, 3000)},${int(r, 7)} @@`;
  const files = ['diff -puN mm/truncate.c~fuzz mm/truncate.c', '--- 25/mm/truncate.c~fuzz\t2004-01-01', '+++ 25-akpm/mm/truncate.c\t2004-01-01'];
  switch (p.wrap) {
    case 'whole': return [...files, header(1, fn.length + 1), ' #include <linux/mm.h>', ...fn.map((l) => `+${l}`), ''].join('\n');
    case 'rewrite': {
      const old = fn.filter((_, i) => i % 3 !== 1);
      return [...files, header(old.length, fn.length), ...old.map((l) => `-${l}`), ...fn.map((l) => `+${l}`), ''].join('\n');
    }
    case 'fragment': {
      // A hunk that starts inside the body: context, then the changed lines, then context.
      const inner = fn.slice(3, -1);
      const cut = int(r, inner.length + 1);
      const lines = inner.map((l, i) => (i < cut / 2 || i > cut ? ` ${l}` : i % 2 ? `+${l}` : `-${l}`));
      const oldN = lines.filter((l) => l[0] !== '+').length;
      const newN = lines.filter((l) => l[0] !== '-').length;
      return [...files, header(oldN, newN), ...lines, ''].join('\n');
    }
    case 'mail':
      return ['From: Fuzz <fuzz@example.invalid>', 'Subject: [PATCH] what about this', '', 'Try this instead:', '', ...fn.map((l) => (r() < 0.5 ? `> ${l}` : l.trimStart())), '', '-- ', 'fuzz', ''].join('\n');
    default:
      return fn.join('\n');
  }
}

/** Parameters for mostly small cases; `large` opts into depth 200+ and thousands of statements. */
export function cParams(large: boolean): fc.Arbitrary<CParams> {
  return fc.record({
    shape: fc.constantFrom<Shape>('blocks', 'expr', 'huge', 'spaghetti', 'mixed'),
    depth: large ? fc.integer({ min: 200, max: 600 }) : fc.integer({ min: 0, max: 12 }),
    size: large ? fc.integer({ min: 1000, max: 4000 }) : fc.integer({ min: 0, max: 25 }),
    damage: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: large ? 30 : 4 })),
    wrap: fc.constantFrom<Wrap>('whole', 'rewrite', 'fragment', 'mail', 'bare'),
    headerOk: fc.boolean(),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
  });
}
