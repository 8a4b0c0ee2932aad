/**
 * Assumptions said (DESIGN section 8, issue 11 item 7): where the patch's own code depends on
 * something the model assumes, one `information` note per function and assumption, on the first
 * line that depends on it (an added line before a removed one, both before context), naming the
 * assumption. The verdicts the model gives there are only as good as the assumption.
 *
 * Rule id: DESIGN section 10 names none for this, so these are `unmodeled` notes (the model
 * tier's id for what the model does not cover; excluded from the verdict by `summary.ts`), with
 * the status of the line they sit on as the static tier's notes have it: an added line
 * `introduced`, a removed one `fixed`, a context line `remaining`.
 *
 * The assumptions, each found in the syntax tree of the patch's lines of a function (pre and
 * post side; library lines spliced around them are not the patch's code):
 * - `barrier`: a memory barrier or ordered access (`smp_rmb()`, `smp_load_acquire()`...) while the
 *   model runs under sequential consistency, where it orders nothing not ordered already;
 * - `abi`: a page index shifted or multiplied into a byte offset (`<< PAGE_CACHE_SHIFT`,
 *   `* PAGE_SIZE`) while the model runs x86-64 widths, where it cannot overflow as on i386;
 * - `a_ops`: a call through an address_space operation (`a_ops->launder_page`) that the
 *   filesystem flavour of a scenario it runs under leaves NULL in the era (`model/ops.ts`);
 * - `io`: the result of a read or writeback call used (an assignment, a condition, a return): in
 *   the model these calls always report success (a read fails, if at all, at its completion);
 * - `read`: a failed read looked for (`PageError()`, or `PageUptodate()` tested after the read
 *   was waited for) in scenarios whose reads never fail: only the I/O-error flavour's
 *   (`readErrors`, e.g. fault-read-error) fail them, so the note names the others.
 * Limits: found by names and shapes, not by dataflow (a result stored and tested two statements
 * later counts at the store); a shift by a page shift counts whatever is shifted.
 */
import { parseC, parserReady, type SyntaxNode } from '../c/parser';
import type { Finding, Status } from '../findings';
import type { FunctionSide, PatchFunction } from '../functions/patch-function';
import type { PatchDocument, Range } from '../intake/document';
import type { Abi } from '../lower/ctypes';
import { resolveMethod } from '../model/ops';
import { primitive } from '../model/primitives/index';
import { applicableScenarios } from '../scenarios/applicable';
import type { MemoryModel } from '../model/weak';
import { lineKinds } from '../rules/static';
import type { LineKinds } from '../rules/status';
import type { MessagePlan } from './plan';

export type AssumptionKind = 'barrier' | 'abi' | 'a_ops' | 'io' | 'read';

/** One place in the document where a function's code leans on an assumption. */
interface Spot { kind: AssumptionKind; line: number; range: Range; what: string }

const BARRIERS = /^(smp_[rw]?mb|smp_mb__(before|after)_\w+|smp_read_barrier_depends|read_barrier_depends|[rw]?mb|smp_load_acquire|smp_store_release)$/;
const PAGE_SHIFTS = new Set(['PAGE_CACHE_SHIFT', 'PAGE_SHIFT']);
const PAGE_SIZES = new Set(['PAGE_CACHE_SIZE', 'PAGE_SIZE']);
/**
 * Calls whose result reports a failed read or writeback. The model's writebacks always succeed;
 * its reads fail only in a scenario of the I/O-error flavour (`readErrors`), and then at
 * completion (PG_error), never in what ->readpage returns.
 */
const READ_CALLS = new Set(['readpage', 'readpages', 'block_read_full_page', 'mpage_readpage']);
const WRITE_CALLS = new Set([
  'writepage', 'writepages', 'launder_page', 'nfs_wb_page', 'write_one_page', 'do_writepages',
  'filemap_fdatawrite', 'filemap_fdatawrite_range', 'filemap_fdatawait', 'filemap_write_and_wait',
  'filemap_write_and_wait_range', 'wait_on_page_writeback_range', 'sync_page_range', 'sync_page_range_nolock',
]);
/** Calls after which a PageUptodate test asks whether the read failed. */
const READ_WAITS = new Set(['wait_on_page_locked', 'readpage']);

/** The callee's name: `f` of `f(...)`, `m` of `x->a_ops->m(...)`. */
function calleeName(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'field_expression') return fn.childForFieldName('field')?.text;
  if (fn.type === 'parenthesized_expression') {
    const inner = fn.namedChildren[0];
    return inner?.type === 'field_expression' ? inner.childForFieldName('field')?.text : inner?.text;
  }
  return undefined;
}

/** `x->a_ops->m` (or `a_ops->m`): the method name `m`. */
function aopsMethod(n: SyntaxNode): string | undefined {
  if (n.type !== 'field_expression') return undefined;
  const obj = n.childForFieldName('argument');
  const objName = obj?.type === 'field_expression' ? obj.childForFieldName('field')?.text : obj?.text;
  return objName === 'a_ops' ? n.childForFieldName('field')?.text : undefined;
}

function* walk(root: SyntaxNode): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.namedChildCount - 1; i >= 0; i--) { const c = n.namedChild(i); if (c) stack.push(c); }
  }
}

/** True when a call's value is used (not a statement of its own). */
function valueUsed(call: SyntaxNode): boolean {
  let p = call.parent;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'cast_expression')) p = p.parent;
  return !!p && p.type !== 'expression_statement' && p.type !== 'comma_expression';
}

/** The places in one side's text that are the patch's own lines, with what each leans on. */
function sideSpots(doc: PatchDocument, side: FunctionSide, kinds: Set<AssumptionKind>): Spot[] {
  if (side.c.source.kind !== 'document' && !side.c.origin) return [];
  const docPos = (row: number, column: number): { line: number; character: number } | undefined => {
    const origin = side.c.origin?.[row];
    if (origin !== undefined && origin !== 'document') return undefined;
    const m = side.c.map[row];
    return m && m.line >= 0 ? { line: m.line, character: m.character + column } : undefined;
  };
  const spots: Spot[] = [];
  const add = (kind: AssumptionKind, n: SyntaxNode, what: string) => {
    if (!kinds.has(kind)) return;
    const start = docPos(n.startPosition.row, n.startPosition.column);
    if (!start) return;
    const endChar = n.endPosition.row === n.startPosition.row ? start.character + (n.endPosition.column - n.startPosition.column) : (doc.lines[start.line]?.length ?? start.character);
    spots.push({ kind, line: start.line, range: { start, end: { line: start.line, character: endChar } }, what });
  };
  let readWaitedAt = Infinity; // the first row where a read was started or waited for
  const tree = parseC(side.c.text);
  try {
    for (const n of walk(tree.rootNode)) {
      if (n.type === 'call_expression') {
        const name = calleeName(n);
        if (!name) continue;
        if (BARRIERS.test(name)) add('barrier', n, `${name}()`);
        if (WRITE_CALLS.has(name) && valueUsed(n)) add('io', n, `${name}()`);
        // What ->readpage returns never reports the failure, in any flavour.
        if (READ_CALLS.has(name) && valueUsed(n)) add('io', n, `${name}()`);
        if (name === 'PageError') add('read', n, 'PageError()');
        if (READ_WAITS.has(name)) readWaitedAt = Math.min(readWaitedAt, n.startPosition.row);
        if (name === 'PageUptodate' && n.startPosition.row > readWaitedAt) add('read', n, 'PageUptodate() after the read');
      } else if (n.type === 'binary_expression') {
        const op = n.childForFieldName('operator')?.text;
        const l = n.childForFieldName('left')?.text ?? '';
        const r = n.childForFieldName('right')?.text ?? '';
        if ((op === '<<' && PAGE_SHIFTS.has(r)) || (op === '*' && (PAGE_SIZES.has(r) || PAGE_SIZES.has(l)))) add('abi', n, n.text.replace(/\s+/g, ' '));
      }
      const method = aopsMethod(n);
      if (method) add('a_ops', n, method);
    }
  } finally {
    tree.delete();
  }
  return spots;
}

const lineStatus = (line: number, k: LineKinds): Status => (k.added.has(line) ? 'introduced' : k.removed.has(line) ? 'fixed' : 'remaining');

/**
 * The message of one note; `lacking` lists, for `a_ops`, the flavours and their scenarios, and for
 * `read`, the scenarios whose reads never fail and those whose reads do.
 */
function message(s: Spot, era: string, lacking: string): string {
  switch (s.kind) {
    case 'barrier':
      return `Assumes sequential consistency (--memory-model sc): every thread's accesses run in program order, so ${s.what} orders nothing that was not ordered already and changes no verdict here; --memory-model weak judges what it orders.`;
    case 'abi':
      return `Assumes x86-64 integer widths (--abi lp64): \`${s.what}\` turns a page index into a byte offset in 64 bits; on i386 pgoff_t and unsigned long have 32, and such a shift can lose the high bits past 4 GiB; --abi ilp32 judges it there.`;
    case 'a_ops':
      return `Assumes the filesystems of its scenarios as the ${era} model fills them in: ->${s.what} is NULL for ${lacking}, so those scenarios never call it.`;
    case 'io':
      return `Assumes I/O calls never fail: in the model ${s.what} always reports success (writebacks always succeed; a read fails, if at all, only at its completion, in the I/O-error flavour), so the path taken on its failure never runs and no verdict covers it.`;
    case 'read':
      return `Assumes reads succeed: ${lacking}, so the path taken when ${s.what} finds a failed read is judged only where reads fail.`;
  }
}

/** The plan's scenarios whose flavour leaves method `m` NULL, by flavour. */
function lackingFlavours(plan: MessagePlan, method: string): Map<string, string[]> {
  const exists = (fn: string) => plan.post.has(fn) || primitive(fn) !== undefined;
  const byFs = new Map<string, string[]>();
  for (const sc of plan.scenarios) {
    if (resolveMethod({ fs: sc.fs, era: plan.era }, method, exists) !== null) continue;
    byFs.set(sc.fs, [...(byFs.get(sc.fs) ?? []), sc.id]);
  }
  return byFs;
}

const inWords = (byFs: Map<string, string[]>) => [...byFs].map(([fs, ids]) => `${fs} (${ids.join(', ')})`).join(' and ');

/**
 * The notes of one message plan: for each function it changes, one per assumption the model
 * makes that its code leans on. `memoryModel` and `abi` are the modes the model runs in; a
 * mode that does not assume (weak, ilp32) gives no note of its kind.
 */
export function assumptionFindings(doc: PatchDocument, plan: MessagePlan, memoryModel: MemoryModel | undefined, abi: Abi | undefined): Finding[] {
  if (!parserReady()) return [];
  const kinds = new Set<AssumptionKind>(['a_ops', 'io', 'read']);
  if ((memoryModel ?? 'sc') === 'sc') kinds.add('barrier');
  if ((abi ?? 'lp64') === 'lp64') kinds.add('abi');
  const lk = lineKinds(doc);
  const out: Finding[] = [];
  for (const fn of plan.functions) {
    if (!plan.changed.includes(fn.name)) continue;
    // The scenarios whose verdicts lean on this function's code: those reaching it in the
    // library's call graph; a function new to the era is reached through its changed callers.
    const reaching = applicableScenarios([fn.name], plan.era, plan.scenarios).map((s) => s.id);
    const scenarios = reaching.length > 0 ? reaching : plan.scenarios.map((s) => s.id);
    const spots = [fn.pre, fn.post].flatMap((s) => (s ? sideSpots(doc, s, kinds) : []));
    for (const kind of ['barrier', 'abi', 'a_ops', 'io', 'read'] as const) {
      let candidates = spots.filter((s) => s.kind === kind);
      // Only a method some scenario's flavour lacks is an assumption that matters here.
      const lack = new Map(kind === 'a_ops' ? candidates.map((s) => [s.what, lackingFlavours(plan, s.what)]) : []);
      if (kind === 'a_ops') candidates = candidates.filter((s) => (lack.get(s.what)?.size ?? 0) > 0);
      const first = firstSpot(candidates, lk);
      if (!first) continue;
      const lacking = lack.get(first.what);
      let ids = lacking ? [...lacking.values()].flat() : scenarios;
      let words = lacking ? inWords(lacking) : '';
      if (kind === 'read') {
        // Reads fail in the I/O-error flavour's scenarios: only the others lean on their success.
        const failing = new Set(plan.scenarios.filter((sc) => sc.readErrors).map((sc) => sc.id));
        const failingHere = ids.filter((id) => failing.has(id));
        ids = ids.filter((id) => !failing.has(id));
        if (ids.length === 0) continue;
        words = `no read fails in ${ids.join(', ')}${failingHere.length > 0 ? ` (they do in ${failingHere.join(', ')})` : ' (reads fail only in scenarios of the I/O-error flavour, and none of those reaches it)'}`;
      }
      out.push(note(fn, first, lineStatus(first.line, lk), message(first, plan.era, words), ids));
    }
  }
  return out;
}

/** The first spot on an added line, else on a removed one, else on context (document order). */
function firstSpot(spots: Spot[], lk: LineKinds): Spot | undefined {
  const rank = (s: Spot) => (lk.added.has(s.line) ? 0 : lk.removed.has(s.line) ? 1 : 2);
  const order = (a: Spot, b: Spot) => rank(a) - rank(b) || a.line - b.line || a.range.start.character - b.range.start.character;
  return [...spots].sort(order)[0];
}

/**
 * A note, with the scenarios whose verdicts lean on the assumption; `complete` because no search
 * stands behind it (it is read from the code and the modes, whatever the searches covered).
 */
function note(fn: PatchFunction, s: Spot, status: Status, text: string, scenarios: string[]): Finding {
  const f: Finding = {
    rule: 'unmodeled', severity: 'information', status, tier: 'model', message: text, range: s.range, function: fn.name,
    scenario: scenarios[0], scenarios, complete: true,
  };
  if (fn.file) f.file = fn.file;
  return f;
}
