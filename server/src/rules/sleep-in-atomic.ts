/**
 * sleep-in-atomic: nothing sleeps while holding a spinlock. A call that may sleep (kernel-api.ts
 * MAY_SLEEP, or an allocation with a sleeping gfp mask) on a path where a spinlock, rwlock or
 * other atomic section may be held is reported.
 *
 * Limits / false negatives: callees are not followed (a helper that sleeps inside is not seen
 * unless it is in MAY_SLEEP); locks held at entry are unknown, so a function entered with a
 * spinlock held (do_no_page is entered with page_table_lock held) is analysed as if none were;
 * unlocking a lock that was never taken is ignored; spin_trylock is path-sensitive only through
 * its result tested directly (through temporaries, `!`, likely/unlikely).
 */
import type { Expr, Loc, Step } from '../ir/step-program';
import { RULES } from '../findings';
import type { RuleContext, RuleHit, StaticRule } from './rule';
import { mapsEqual, solveForward, type BranchStep, type ForwardProblem } from './dataflow';
import { exprText, lockKey, nameOf, resolve, stripCasts, tempDefinitions } from './ir-util';
import {
  ATOMIC_ENTER, ATOMIC_EXIT, GFP_ALLOC, GFP_WAIT_BIT, MAY_SLEEP, SLEEPING_GFP, SPIN_LOCK, SPIN_TRYLOCK, SPIN_UNLOCK,
} from './kernel-api';

interface SpinState {
  /** Locks that may be held, with where they were taken. */
  held: Map<string, Loc>;
  /** Results of spin_trylock: temporary → lock it would have taken. */
  trylocks: Map<string, { key: string; at: Loc }>;
}

function clone(s: SpinState): SpinState {
  return { held: new Map(s.held), trylocks: new Map(s.trylocks) };
}

/** The lock a spinlock primitive names; atomic sections without an object get a fixed name. */
function spinKey(step: Extract<Step, { op: 'call' }>): string {
  const arg = step.args[0];
  return arg ? lockKey(arg) : step.callee;
}

export function analyseSpinlocks(ctx: RuleContext): (SpinState | undefined)[] {
  const defs = tempDefinitions(ctx.ir);
  const problem: ForwardProblem<SpinState> = {
    init: () => ({ held: new Map(), trylocks: new Map() }),
    join(a, b) {
      const out = clone(a);
      for (const [k, l] of b.held) if (!out.held.has(k)) out.held.set(k, l);
      for (const [k, t] of b.trylocks) if (!out.trylocks.has(k)) out.trylocks.set(k, t);
      return out;
    },
    equal: (a, b) => mapsEqual(a.held, b.held, () => true) && mapsEqual(a.trylocks, b.trylocks, (x, y) => x.key === y.key),
    transfer(step, _at, s0) {
      if (step.op !== 'call') return s0;
      const s = clone(s0);
      const result = nameOf(step.result);
      if (result) s.trylocks.delete(result);
      if (SPIN_LOCK.has(step.callee)) s.held.set(spinKey(step), step.loc);
      else if (SPIN_UNLOCK.has(step.callee)) s.held.delete(spinKey(step));
      else if (ATOMIC_ENTER.has(step.callee)) s.held.set(ATOMIC_ENTER.get(step.callee)!, step.loc);
      else if (ATOMIC_EXIT.has(step.callee)) s.held.delete(ATOMIC_EXIT.get(step.callee)!);
      else if (SPIN_TRYLOCK.has(step.callee) && result) s.trylocks.set(result, { key: spinKey(step), at: step.loc });
      else if (result && /^(likely|unlikely|__builtin_expect)$/.test(step.callee) && step.args[0]) {
        const t = s0.trylocks.get(nameOf(step.args[0]) ?? '');
        if (t) s.trylocks.set(result, t);
      }
      return s;
    },
    edge(step: BranchStep, _at, s0, taken) {
      const got = trylockOutcome(step.cond, taken, s0, defs);
      if (!got) return s0;
      const s = clone(s0);
      if (got.acquired) s.held.set(got.key, got.at);
      return s;
    },
  };
  return solveForward(ctx.ir, problem);
}

function trylockOutcome(cond: Expr, taken: boolean, s: SpinState, defs: Map<string, Expr>): { key: string; at: Loc; acquired: boolean } | undefined {
  let e = stripCasts(cond);
  let truth = taken;
  for (let depth = 0; depth < 8; depth++) {
    if (e.k === 'name') {
      const t = s.trylocks.get(e.name);
      if (t) return { ...t, acquired: truth };
      const next = resolve(e, defs);
      if (next === e) return undefined;
      e = next;
    } else if (e.k === 'unary' && e.op === '!') {
      truth = !truth;
      e = stripCasts(e.operand);
    } else return undefined;
  }
  return undefined;
}

/** Why a call may sleep, or undefined when it does not. */
function sleeps(step: Extract<Step, { op: 'call' }>): string | undefined {
  if (MAY_SLEEP.has(step.callee)) return step.through ? `->${step.callee}()` : `${step.callee}()`;
  const gfpArg = GFP_ALLOC.get(step.callee);
  if (gfpArg !== undefined) {
    const gfp = step.args[gfpArg];
    if (!gfp) return undefined;
    const g = stripCasts(gfp);
    const sleepy = SLEEPING_GFP.test(exprText(gfp)) || (g.k === 'const' && !g.text && (g.value & GFP_WAIT_BIT) !== 0n);
    return sleepy ? `${step.callee}(${exprText(gfp)})` : undefined;
  }
  return undefined;
}

function run(ctx: RuleContext): RuleHit[] {
  const before = analyseSpinlocks(ctx);
  const hits: RuleHit[] = [];
  ctx.ir.steps.forEach((step, i) => {
    const s = before[i];
    if (!s || step.op !== 'call' || s.held.size === 0) return;
    const why = sleeps(step);
    if (!why) return;
    const [lock, at] = [...s.held].sort((a, b) => a[0].localeCompare(b[0]))[0]!;
    hits.push({
      rule: 'sleep-in-atomic',
      loc: step.loc,
      message: `${why} may sleep, but '${lock}' may still be held on a path that reaches it.`,
      key: `${step.callee}:${lock}`,
      related: [{ message: `'${lock}' is taken here`, loc: at }],
    });
  });
  return hits;
}

export const sleepInAtomic: StaticRule = {
  id: 'sleep-in-atomic',
  name: 'Sleeping while a spinlock is held',
  info: RULES['sleep-in-atomic'],
  run,
};
