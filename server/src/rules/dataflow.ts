/**
 * A forward dataflow solver over a step program (FunctionIR.steps): a worklist, a join where
 * paths merge, and an optional refinement of the state along each edge of a branch (the only
 * path sensitivity the rules use, e.g. "the trylock succeeded on this edge").
 *
 * Limits: states must form a finite-height lattice under `join` for the fixpoint to be exact; as
 * a guard against a non-monotone analysis, a step is re-visited at most `MAX_VISITS_PER_STEP`
 * times, after which the solution may be incomplete (rules then miss findings, never crash).
 */
import type { FunctionIR, Step } from '../ir/step-program';
import { successors } from './ir-util';

export type BranchStep = Extract<Step, { op: 'branch' }>;

export interface ForwardProblem<S> {
  /** State on entry to the function. */
  init(): S;
  join(a: S, b: S): S;
  equal(a: S, b: S): boolean;
  /** State after a step (for a branch, before the edge refinement). Must not mutate `s`. */
  transfer(step: Step, at: number, s: S): S;
  /** State along one edge of a branch; `taken` is the truth value of the condition. */
  edge?(step: BranchStep, at: number, s: S, taken: boolean): S;
}

const MAX_VISITS_PER_STEP = 64;

/** The state before every step; `undefined` for steps no path from the entry reaches. */
export function solveForward<S>(ir: FunctionIR, problem: ForwardProblem<S>): (S | undefined)[] {
  const before: (S | undefined)[] = new Array(ir.steps.length).fill(undefined);
  if (!(ir.entry >= 0 && ir.entry < ir.steps.length)) return before;
  const visits = new Array<number>(ir.steps.length).fill(0);
  const queued = new Set<number>();
  const work: number[] = [];
  const push = (i: number) => {
    if (!queued.has(i)) {
      queued.add(i);
      work.push(i);
    }
  };
  before[ir.entry] = problem.init();
  push(ir.entry);
  while (work.length > 0) {
    // Lowest index first: lowering emits steps roughly in source order, so this visits loop
    // bodies before their exits and converges in few rounds.
    work.sort((a, b) => b - a);
    const at = work.pop()!;
    queued.delete(at);
    if (++visits[at]! > MAX_VISITS_PER_STEP) continue;
    const step = ir.steps[at]!;
    const inState = before[at]!;
    const out = problem.transfer(step, at, inState);
    const succ = successors(ir, step);
    succ.forEach((to, i) => {
      let s = out;
      if (step.op === 'branch' && problem.edge) s = problem.edge(step, at, out, i === 0);
      const old = before[to];
      const next = old === undefined ? s : problem.join(old, s);
      if (old === undefined || !problem.equal(old, next)) {
        before[to] = next;
        push(to);
      }
    });
  }
  return before;
}

/** Helpers for the common state shapes: maps joined key-wise. */
export function mapsEqual<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, eq: (x: V, y: V) => boolean): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !eq(v, w)) return false;
  }
  return true;
}

export function setsEqual(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}
