/**
 * Plain depth-first search with a visited set: every enabled thread and every choice from every
 * state, each state expanded once. No reduction; it is the reference the other strategies are
 * tested against. Counterexamples are the best (fewest preemptions, then shortest) among the paths
 * this search happened to take to a bad state, not the best that exists: use `bounded` for that.
 */
import { Budget, Collector, collectLivelock, judge, type SearchOptions, type SearchResult } from './search';
import { violationKey, type ScheduleStep, type StateKey, type System } from './system';
import { StateGraph } from './livelock';
import { isPreemption } from './trace';

interface Frame<S> {
  state: S;
  id: number;
  /** Preemptions on the path to here. */
  pre: number;
  last: string | undefined;
  moves: ScheduleStep[];
  next: number;
}

export function dfs<S>(sys: System<S>, opts: SearchOptions = {}): SearchResult {
  const budget = new Budget(opts);
  const found = new Collector();
  const s0 = sys.initial();
  const threads = sys.threads(s0);
  const graph = opts.livelock === false ? undefined : new StateGraph(threads);
  const visited = new Map<StateKey, number>();
  const path: ScheduleStep[] = [];
  const stack: Frame<S>[] = [];

  /** Reaches `s` by the current path; returns a frame to expand when it is new. */
  const arrive = (s: S, pre: number, last: string | undefined, from: number, step?: ScheduleStep, progress = false): Frame<S> | undefined => {
    const key = sys.key(s);
    const seen = visited.get(key);
    if (seen !== undefined) {
      if (graph && step) graph.addEdge(from, seen, step.thread, step.choice, progress);
      return undefined;
    }
    if (!budget.tick()) return undefined;
    const enabled = threads.map((t) => sys.enabled(s, t));
    const id = graph ? graph.addNode(enabled) : visited.size;
    visited.set(key, id);
    if (graph && step) graph.addEdge(from, id, step.thread, step.choice, progress);
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
      for (let c = sys.choices(s, t) - 1; c >= 0; c--) moves.push({ thread: t, choice: c });
    });
    return { state: s, id, pre, last, moves, next: 0 };
  };

  const root = arrive(s0, 0, undefined, -1);
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
    const child = arrive(r.state, f.pre + (isPreemption(sys, f.state, f.last, m.thread) ? 1 : 0), m.thread, f.id, m, r.progress);
    if (child) stack.push(child);
    else path.pop();
  }
  if (!budget.stopped) collectLivelock(sys, graph, found);
  return budget.result(found);
}
