/**
 * Iterative context bounding (Musuvathi and Qadeer, PLDI 2007): search every schedule with at most
 * 0 preemptions, then at most 1, ... up to `opts.preemptions`. A preemption is a switch away from a
 * thread that could still run; switching when it blocks or finishes is free. The first bound at
 * which a rule breaks is the fewest preemptions that break it, so every counterexample returned is
 * minimal in preemptions (then shortest among those this search met).
 *
 * States are hashed with the last thread that ran, keeping the fewest preemptions used to reach
 * them: the future depends on the state, on who ran last (what counts as a preemption) and on the
 * budget left, and fewer used means more left. A bound at which no move was cut means the whole
 * space was covered, so higher bounds are skipped. `complete` means the bounded space was covered.
 * Livelock is looked for on the state graph of each bound searched: its cycles are real, but a
 * fair cycle may need more preemptions than the bound allows and then goes unseen.
 * `states` counts expansions over all bounds. With `until`, the search stops after the first
 * bound at which every rule named was found (complete.ts asks for the witnesses of rules an
 * exhaustive search found).
 */
import { Budget, Collector, collectLivelock, judge, type SearchOptions, type SearchResult } from './search';
import { violationKey, type ScheduleStep, type System } from './system';
import { StateGraph } from './livelock';
import { isPreemption } from './trace';

interface Frame<S> {
  state: S;
  id: number;
  pre: number;
  last: string | undefined;
  moves: ScheduleStep[];
  next: number;
}

export function bounded<S>(sys: System<S>, opts: SearchOptions = {}): SearchResult & { bound: number; exhaustive: boolean } {
  const budget = new Budget(opts);
  const found = new Collector();
  const s0 = sys.initial();
  const threads = sys.threads(s0);
  const tIndex = new Map(threads.map((t, i) => [t, i]));
  const limit = Math.max(0, opts.preemptions ?? 2);
  let graph: StateGraph | undefined;
  let exhaustive = false;
  let k = 0;
  for (; k <= limit && !budget.stopped; k++) {
    budget.bound = k;
    graph = opts.livelock === false ? undefined : new StateGraph(threads);
    const ids = new Map<string, number>();
    /** Per state key, the fewest preemptions it was reached with, by the thread that ran last
     *  (index + 1; 0: none yet): one small array per key rather than a text per visit. */
    const best = new Map<string, number[]>();
    const path: ScheduleStep[] = [];
    let cut = false;
    const bound = k;

    const arrive = (s: S, pre: number, last: string | undefined, from?: { id: number; step: ScheduleStep; progress: boolean }): Frame<S> | undefined => {
      const key = sys.key(s);
      let id = ids.get(key);
      const edge = (to: number) => { if (graph && from) graph.addEdge(from.id, to, from.step.thread, from.step.choice, from.progress); };
      let fewest = best.get(key);
      if (!fewest) best.set(key, (fewest = new Array<number>(threads.length + 1).fill(Infinity)));
      const by = last === undefined ? 0 : tIndex.get(last)! + 1;
      if (fewest[by] <= pre) {
        edge(id!);
        return undefined;
      }
      fewest[by] = pre;
      if (!budget.tick()) return undefined;
      const enabled = threads.map((t) => sys.enabled(s, t));
      if (id === undefined) {
        id = graph ? graph.addNode(enabled) : ids.size;
        ids.set(key, id);
      }
      edge(id);
      for (const v of judge(sys, s, threads, enabled)) {
        if (found.wants(violationKey(v), pre, path.length)) found.add({ ...v, trace: path.slice(), preemptions: pre });
      }
      if (path.length >= budget.maxDepth) {
        if (enabled.some((e) => e)) budget.cutDepth();
        return undefined;
      }
      const moves: ScheduleStep[] = [];
      threads.forEach((t, i) => {
        if (!enabled[i]) return;
        if (isPreemption(sys, s, last, t) && pre >= bound) {
          cut = true;
          return;
        }
        for (let c = sys.choices(s, t) - 1; c >= 0; c--) moves.push({ thread: t, choice: c });
      });
      return { state: s, id, pre, last, moves, next: 0 };
    };

    const stack: Frame<S>[] = [];
    const root = arrive(s0, 0, undefined);
    if (root) stack.push(root);
    while (stack.length && !budget.stopped) {
      const f = stack[stack.length - 1];
      if (f.next >= f.moves.length) {
        stack.pop();
        path.pop();
        continue;
      }
      const m = f.moves[f.next++];
      const r = sys.step(f.state, m.thread, m.choice);
      budget.transitions++;
      path.push(m);
      const pre = f.pre + (isPreemption(sys, f.state, f.last, m.thread) ? 1 : 0);
      const child = arrive(r.state, pre, m.thread, { id: f.id, step: m, progress: r.progress });
      if (child) stack.push(child);
      else path.pop();
    }
    // Each bound's graph is searched for a livelock: the first bound whose graph has one gives its
    // cheapest lasso (the Collector keeps the fewest preemptions), and `until` can stop there.
    if (!budget.stopped) collectLivelock(sys, graph, found);
    if (!cut && !budget.stopped) {
      exhaustive = true;
      k++;
      break;
    }
    // Looking for witnesses of known rules: the first bound that has them all is their minimum.
    if (opts.until && !budget.stopped && [...opts.until].every((r) => found.has(r))) {
      k++;
      break;
    }
  }
  return { ...budget.result(found), bound: k - 1, exhaustive };
}
