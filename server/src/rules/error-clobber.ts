/**
 * error-clobber: no error code overwrites a pending -EIOCBQUEUED. A variable that may hold
 * -EIOCBQUEUED (the result of ->direct_IO or of a helper that returns its value, or the constant
 * itself) and is then, on some path, overwritten with an error code (a negative constant, another
 * call's result, or a variable holding one) without a test that rules -EIOCBQUEUED out, is
 * reported: the I/O is in flight and its completion owns the iocb.
 *
 * Tests that rule it out are read from branch conditions: `v >= 0`, `v > 0`, `v == 0`, `!v`,
 * `v != -EIOCBQUEUED`, combined with `&&`, `||`, `!`, through temporaries and unlikely().
 *
 * Limits / false negatives: values passed through memory (`iocb->ki_result`) or through callees
 * are not followed; an overwrite with a value the rule cannot see is an error (e.g. a positive
 * count) is not reported; correlated conditions on other variables are not used.
 */
import type { Expr, Loc, Step } from '../ir/step-program';
import { RULES } from '../findings';
import type { RuleContext, RuleHit, StaticRule } from './rule';
import { mapsEqual, setsEqual, solveForward, type ForwardProblem } from './dataflow';
import { exprText, nameOf, namesIn, resolve, stripCasts, tempDefinitions, tempTexts } from './ir-util';
import { EIOCBQUEUED } from '../lower/kernel-constants';
import { mayReturnQueued } from './kernel-api';

interface ClobberState {
  /** Variables that may hold -EIOCBQUEUED, with where it came from. */
  queued: Map<string, Loc>;
  /** Variables that may hold an error code (a call's result, a negative constant). */
  errors: Set<string>;
}

const QUEUED = -EIOCBQUEUED;

function isQueuedConst(e: Expr): boolean {
  const s = stripCasts(e);
  return (s.k === 'const' && s.value === QUEUED) || (s.k === 'unary' && s.op === '-' && /EIOCBQUEUED/.test(exprText(s.operand)));
}

function isNegativeConst(e: Expr): boolean {
  const s = stripCasts(e);
  return (s.k === 'const' && s.value < 0n) || (s.k === 'unary' && s.op === '-' && stripCasts(s.operand).k === 'const');
}

function clone(s: ClobberState): ClobberState {
  return { queued: new Map(s.queued), errors: new Set(s.errors) };
}

/** Evaluates `left op right` for integers. */
function compare(op: string, a: bigint, b: bigint): boolean | undefined {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return undefined;
  }
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function constValue(e: Expr): bigint | undefined {
  const s = stripCasts(e);
  if (s.k === 'const') return s.value;
  if (s.k === 'unary' && s.op === '-') {
    const v = constValue(s.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** True when the condition having truth `truth` proves `v` is not -EIOCBQUEUED. */
export function excludesQueued(cond: Expr, truth: boolean, v: string, defs: Map<string, Expr>, depth = 0): boolean {
  if (depth > 16) return false;
  const e = resolve(cond, defs);
  if (e.k === 'name') return e.name === v && !truth; // `if (v)` false: v == 0
  if (e.k === 'unary' && e.op === '!') return excludesQueued(e.operand, !truth, v, defs, depth + 1);
  if (e.k !== 'binary') return false;
  if (e.op === '&&') {
    return truth
      ? excludesQueued(e.left, true, v, defs, depth + 1) || excludesQueued(e.right, true, v, defs, depth + 1)
      : excludesQueued(e.left, false, v, defs, depth + 1) && excludesQueued(e.right, false, v, defs, depth + 1);
  }
  if (e.op === '||') {
    return truth
      ? excludesQueued(e.left, true, v, defs, depth + 1) && excludesQueued(e.right, true, v, defs, depth + 1)
      : excludesQueued(e.left, false, v, defs, depth + 1) || excludesQueued(e.right, false, v, defs, depth + 1);
  }
  let op: string = e.op;
  let c: bigint | undefined;
  if (nameOf(resolve(e.left, defs)) === v) c = constValue(e.right);
  else if (nameOf(resolve(e.right, defs)) === v) {
    c = constValue(e.left);
    op = FLIP[op] ?? op;
  }
  if (c === undefined) return false;
  const holds = compare(op, QUEUED, c);
  return holds !== undefined && holds !== truth;
}

export function analyseQueued(ctx: RuleContext): (ClobberState | undefined)[] {
  const defs = tempDefinitions(ctx.ir);
  // Whether a name may hold an error code is only ever read for a name that is the value of an
  // assignment (`v = name`), so only those are tracked. Tracking every call's result made each
  // step copy a set as large as the function: a ladder of 1,000 gotos took 18 s.
  const sources = new Set<string>();
  for (const st of ctx.ir.steps) {
    if (st.op !== 'assign') continue;
    const src = nameOf(st.value);
    if (src) sources.add(src);
  }
  const problem: ForwardProblem<ClobberState> = {
    init: () => ({ queued: new Map(), errors: new Set() }),
    join(a, b) {
      const out = clone(a);
      for (const [k, l] of b.queued) if (!out.queued.has(k)) out.queued.set(k, l);
      for (const k of b.errors) out.errors.add(k);
      return out;
    },
    equal: (a, b) => mapsEqual(a.queued, b.queued, () => true) && setsEqual(a.errors, b.errors),
    transfer(step: Step, _at, s0) {
      if (step.op === 'declare') {
        if (!s0.queued.has(step.name) && !s0.errors.has(step.name)) return s0;
        const s = clone(s0);
        s.queued.delete(step.name);
        s.errors.delete(step.name);
        return s;
      }
      if (step.op === 'call') {
        const r = nameOf(step.result);
        if (!r) return s0;
        const queued = mayReturnQueued(step.callee);
        if (!queued && !s0.queued.has(r) && (!sources.has(r) || s0.errors.has(r))) return s0;
        const s = clone(s0);
        if (queued) s.queued.set(r, step.loc);
        else s.queued.delete(r);
        if (sources.has(r)) s.errors.add(r);
        return s;
      }
      if (step.op === 'assign') {
        const t = nameOf(step.target);
        if (!t) return s0;
        const s = clone(s0);
        const src = nameOf(step.value);
        if (src && s0.queued.has(src)) s.queued.set(t, s0.queued.get(src)!);
        else if (isQueuedConst(step.value)) s.queued.set(t, step.loc);
        else if (!namesIn(step.value).has(t)) s.queued.delete(t);
        if (!sources.has(t)) s.errors.delete(t);
        else if ((src && s0.errors.has(src)) || isNegativeConst(step.value)) s.errors.add(t);
        else s.errors.delete(t);
        return s;
      }
      return s0;
    },
    edge(step, _at, s0, taken) {
      let s = s0;
      for (const v of s0.queued.keys()) {
        if (excludesQueued(step.cond, taken, v, defs)) {
          if (s === s0) s = clone(s0);
          s.queued.delete(v);
        }
      }
      return s;
    },
  };
  return solveForward(ctx.ir, problem);
}

function run(ctx: RuleContext): RuleHit[] {
  const before = analyseQueued(ctx);
  const temps = tempTexts(ctx.ir);
  const hits: RuleHit[] = [];
  ctx.ir.steps.forEach((step, i) => {
    const s = before[i];
    if (!s) return;
    let target: string | undefined;
    let what: string | undefined;
    if (step.op === 'assign') {
      target = nameOf(step.target);
      if (!target || !s.queued.has(target)) return;
      const src = nameOf(step.value);
      if (src && s.queued.has(src)) return; // moving a queued value along is not an overwrite
      if (namesIn(step.value).has(target)) return; // arithmetic on the value itself
      if (isNegativeConst(step.value)) what = exprText(step.value);
      else if (src && s.errors.has(src)) what = temps.has(src) ? `the result of ${temps.get(src)}` : `'${src}'`;
      else return;
    } else if (step.op === 'call') {
      target = nameOf(step.result);
      if (!target || !s.queued.has(target) || mayReturnQueued(step.callee)) return;
      what = `the result of ${step.callee}()`;
    } else return;
    const origin = s.queued.get(target)!;
    hits.push({
      rule: 'error-clobber',
      loc: step.loc,
      message: `'${target}' may still hold -EIOCBQUEUED here, and overwriting it with ${what} makes the caller complete an iocb that the I/O completion also completes.`,
      key: `${target}<-${what.replace(/'/g, '')}`,
      related: [{ message: `'${target}' may receive -EIOCBQUEUED here`, loc: origin }],
    });
  });
  return hits;
}

export const errorClobber: StaticRule = {
  id: 'error-clobber',
  name: 'Error code overwrites -EIOCBQUEUED',
  info: RULES['error-clobber'],
  run,
};
