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
  // Lowest index first: lowering emits steps roughly in source order, so this visits loop
  // bodies before their exits and converges in few rounds. A heap, not a sort per step: a switch
  // of 7,000 cases keeps 7,000 case bodies waiting while its tests are walked, and sorting them
  // at every step made each flow rule quadratic.
  const work = new MinHeap();
  before[ir.entry] = problem.init();
  work.push(ir.entry);
  while (work.size > 0) {
    const at = work.pop();
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
        work.push(to);
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

/** A set of step indices that pops the least first; pushing an index already held does nothing. */
class MinHeap {
  private readonly items: number[] = [];
  private readonly held = new Set<number>();

  get size(): number {
    return this.items.length;
  }

  push(i: number): void {
    if (this.held.has(i)) return;
    this.held.add(i);
    const a = this.items;
    a.push(i);
    let k = a.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (a[p]! <= i) break;
      a[k] = a[p]!;
      k = p;
    }
    a[k] = i;
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    this.held.delete(top);
    if (a.length > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1]! < a[l]! ? l + 1 : l;
        if (a[c]! >= last) break;
        a[k] = a[c]!;
        k = c;
      }
      a[k] = last;
    }
    return top;
  }
}
