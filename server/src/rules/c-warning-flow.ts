/**
 * c-warning, the warnings that need types or flow, read from the step program:
 * -Wsign-compare, -Wunused-variable, -Wunused-but-set-variable and -Wmaybe-uninitialized.
 * The syntactic ones (-Wparentheses, -Wempty-body, misleading indentation) are in
 * c-warning-syntax.ts. static.ts keeps only those on added lines.
 *
 * Limits: types are what lowering gives (an `unknown` type is never warned about); unused checks
 * are skipped when lowering dropped code it could not lower (a use may be in it); maybe-uninit is
 * path-insensitive, so, like gcc itself, it warns when correlated conditions guard the use; only
 * scalar locals (integers, pointers) are tracked, and taking a local's address initialises it.
 */
import type { CType, Expr, Step } from '../ir/step-program';
import type { RuleContext, RuleHit } from './rule';
import { setsEqual, solveForward, type ForwardProblem } from './dataflow';
import { definedName, exprText, isTemp, locWithin, nameOf, readExprs, readsOf, stripCasts, subExprs, tempTexts } from './ir-util';

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** The source spelling of a local: lowering may suffix a shadowing local to keep names distinct. */
export function sourceName(name: string): string {
  const m = /^[A-Za-z_]\w*/.exec(name);
  return m ? m[0] : name;
}

function promoted(t: CType): { bits: number; signed: boolean } | undefined {
  if (t.t === 'bool') return { bits: 32, signed: true };
  if (t.t !== 'int') return undefined;
  return t.bits < 32 ? { bits: 32, signed: true } : { bits: t.bits, signed: t.signed };
}

/** -Wsign-compare on one comparison, per C's usual arithmetic conversions on LP64. */
function signCompare(e: Extract<Expr, { k: 'binary' }>): boolean {
  const l = promoted(e.left.type);
  const r = promoted(e.right.type);
  if (!l || !r || l.signed === r.signed) return false;
  const [s, u, sExpr] = l.signed ? [l, r, e.left] : [r, l, e.right];
  if (s.bits > u.bits) return false; // the unsigned side converts to the wider signed type
  const c = stripCasts(sExpr);
  if (c.k === 'const') return c.value < 0n; // gcc is quiet about non-negative constants
  return true;
}

function hit(loc: Expr['loc'], message: string, key: string): RuleHit {
  return { rule: 'c-warning', loc, message, key };
}

function signCompareHits(ctx: RuleContext): RuleHit[] {
  const temps = tempTexts(ctx.ir);
  const hits: RuleHit[] = [];
  const seen = new Set<string>();
  for (const step of ctx.ir.steps) {
    for (const root of readExprs(step)) {
      for (const e of subExprs(root)) {
        if (e.k !== 'binary' || !COMPARE.has(e.op) || !signCompare(e)) continue;
        const id = `${e.loc.line}:${e.loc.col}`;
        if (seen.has(id)) continue;
        seen.add(id);
        hits.push(hit(e.loc, `comparison of integer expressions of different signedness in '${exprText(e, temps)}' [-Wsign-compare]: a negative value compares as a huge unsigned one.`, `sign-compare:${exprText(e, temps)}`));
      }
    }
  }
  return hits;
}

/** Names a step reads, and names whose address it takes (`&x`, `&x.f`). */
function valueReads(step: Step): { reads: Map<string, Expr['loc']>; addressed: Set<string> } {
  const reads = new Map<string, Expr['loc']>();
  const addressed = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.k === 'unary' && e.op === '&') {
      let base = stripCasts(e.operand);
      while (base.k === 'member' && !base.arrow) base = stripCasts(base.object);
      if (base.k === 'name') {
        addressed.add(base.name);
        return;
      }
    }
    switch (e.k) {
      case 'name': if (!reads.has(e.name)) reads.set(e.name, e.loc); break;
      case 'member': walk(e.object); break;
      case 'index': walk(e.object); walk(e.index); break;
      case 'unary': case 'cast': walk(e.operand); break;
      case 'binary': walk(e.left); walk(e.right); break;
      case 'cond': walk(e.test); walk(e.then); walk(e.else); break;
      default: break;
    }
  };
  for (const e of readExprs(step)) walk(e);
  return { reads, addressed };
}

function isScalar(t: CType): boolean {
  return t.t === 'int' || t.t === 'bool' || t.t === 'ptr';
}

/**
 * -Wmaybe-uninitialized. Only locals that some step reads are tracked (one that is never read
 * cannot be used uninitialised), and a step that changes nothing shares its input set, so a
 * giant function of initialised or unused locals costs time linear in its size. Limit: the sets
 * are copied where they change, so N locals declared uninitialised and all read later cost N²/2.
 */
function uninitHits(ctx: RuleContext): RuleHit[] {
  const { ir } = ctx;
  const views = ir.steps.map(valueReads);
  const readSomewhere = new Set<string>();
  for (const v of views) for (const n of v.reads.keys()) readSomewhere.add(n);
  const problem: ForwardProblem<Set<string>> = {
    init: () => new Set(),
    join: (a, b) => (a === b || b.size === 0 ? a : a.size === 0 ? b : new Set([...a, ...b])),
    equal: (a, b) => a === b || setsEqual(a, b),
    transfer(step, at, s0) {
      let s = s0;
      const change = (f: (w: Set<string>) => void) => {
        if (s === s0) s = new Set(s0);
        f(s);
      };
      for (const n of views[at]!.addressed) if (s.has(n)) change((w) => w.delete(n));
      const d = definedName(step);
      if (step.op === 'declare') {
        if (!isTemp(step.name) && isScalar(step.type) && readSomewhere.has(step.name) && !s.has(step.name)) change((w) => w.add(step.name));
      } else if (d && s.has(d)) change((w) => w.delete(d));
      return s;
    },
  };
  const before = solveForward(ir, problem);
  const hits: RuleHit[] = [];
  const reported = new Set<string>();
  ir.steps.forEach((step, i) => {
    const s = before[i];
    if (!s || s.size === 0) return;
    const { reads } = views[i]!;
    for (const [n, loc] of reads) {
      if (!s.has(n) || reported.has(n)) continue;
      reported.add(n);
      const name = sourceName(n);
      hits.push(hit(loc.line >= 0 ? loc : step.loc, `'${name}' may be used uninitialized here [-Wmaybe-uninitialized]: a path from its declaration reaches this use without assigning it.`, `uninit:${name}`));
    }
  });
  return hits;
}

/**
 * -Wunused-variable and -Wunused-but-set-variable. One pass counts, per name, the steps that read
 * it and the steps that write it; each declaration then subtracts its own step and its
 * initialiser. Linear in the function's size (it was declarations × steps: 20,000 locals took
 * 90 s). Names in code lowering kept only as text (`unknown` expressions) count as read.
 */
function unusedHits(ctx: RuleContext): RuleHit[] {
  const { ir } = ctx;
  if (ir.notes.some((n) => n.kind === 'unsupported' || n.kind === 'syntax')) return [];
  const inUnknown = new Set<string>();
  const readers = new Map<string, number>();
  const writers = new Map<string, number>();
  const bump = (m: Map<string, number>, n: string) => m.set(n, (m.get(n) ?? 0) + 1);
  for (const step of ir.steps) {
    for (const root of readExprs(step)) {
      for (const e of subExprs(root)) if (e.k === 'unknown') for (const w of e.text.match(/[\w$]+/g) ?? []) inUnknown.add(w);
    }
    for (const n of readsOf(step)) bump(readers, n);
    const d = definedName(step);
    if (d !== undefined && step.op !== 'declare') bump(writers, d);
  }
  const hits: RuleHit[] = [];
  ir.steps.forEach((decl) => {
    if (decl.op !== 'declare' || isTemp(decl.name)) return;
    const name = decl.name;
    const src = sourceName(name);
    const init = ir.steps[decl.next];
    // `int x = 1;` lowers to declare + assign; the assign is an initialiser when it comes from the
    // same declaration (same line, or inside the declaration's span), not a later `x = 1;`.
    const isInit = !!init && init.op === 'assign' && nameOf(init.target) === name && (init.loc.line === decl.loc.line || locWithin(init.loc, decl.loc));
    const reads = (readers.get(name) ?? 0) - (readsOf(decl).has(name) ? 1 : 0);
    const writes = (writers.get(name) ?? 0) - (isInit ? 1 : 0);
    if (reads > 0 || inUnknown.has(src)) return;
    hits.push(
      writes > 0
        ? hit(decl.loc, `variable '${src}' set but not used [-Wunused-but-set-variable]: the values stored in it are never read.`, `unused-set:${src}`)
        : hit(decl.loc, `unused variable '${src}' [-Wunused-variable].`, `unused:${src}`),
    );
  });
  return hits;
}

export function flowWarnings(ctx: RuleContext): RuleHit[] {
  return [...signCompareHits(ctx), ...unusedHits(ctx), ...uninitHits(ctx)];
}
