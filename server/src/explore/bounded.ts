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
import { violationKey, type ScheduleStep, type StateKey, type System } from './system';
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
  return new Bounded(sys, opts).run();
}

interface Arrival {
  id: number;
  step: ScheduleStep;
  progress: boolean;
}

/**
 * One search, its steps as methods: closures made anew per search (and per bound) were compiled
 * anew by TurboFan each time, their code being specialised on the last ones (see dpor.ts).
 */
class Bounded<S> {
  private readonly budget: Budget;
  private readonly found = new Collector();
  private readonly s0: S;
  private readonly threads: readonly string[];
  private readonly tIndex: Map<string, number>;
  // What one bound's search keeps (reset by `searchBound`).
  private bound = 0;
  private graph: StateGraph | undefined;
  private ids = new Map<StateKey, number>();
  /** Per state key, the fewest preemptions it was reached with, by the thread that ran last
   *  (index + 1; 0: none yet): one small array per key rather than a text per visit. */
  private best = new Map<StateKey, number[]>();
  private path: ScheduleStep[] = [];
  /** A move was left out for want of preemptions: the bound did not cover the whole space. */
  private cut = false;

  constructor(private readonly sys: System<S>, private readonly opts: SearchOptions) {
    this.budget = new Budget(opts);
    this.s0 = sys.initial();
    this.threads = sys.threads(this.s0);
    this.tIndex = new Map(this.threads.map((t, i) => [t, i]));
  }

  run(): SearchResult & { bound: number; exhaustive: boolean } {
    const { budget, found, opts } = this;
    const limit = Math.max(0, opts.preemptions ?? 2);
    let exhaustive = false;
    let k = 0;
    for (; k <= limit && !budget.stopped; k++) {
      budget.bound = k;
      this.searchBound(k);
      // Each bound's graph is searched for a livelock: the first bound whose graph has one gives its
      // cheapest lasso (the Collector keeps the fewest preemptions), and `until` can stop there.
      if (!budget.stopped) collectLivelock(this.sys, this.graph, found);
      if (!this.cut && !budget.stopped) {
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

  private searchBound(k: number): void {
    const { budget, sys } = this;
    this.bound = k;
    this.graph = this.opts.livelock === false ? undefined : new StateGraph(this.threads);
    this.ids = new Map();
    this.best = new Map();
    this.path = [];
    this.cut = false;
    const path = this.path;
    const stack: Frame<S>[] = [];
    const root = this.arrive(this.s0, 0, undefined);
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
      const child = this.arrive(r.state, pre, m.thread, { id: f.id, step: m, progress: r.progress });
      if (child) stack.push(child);
      else path.pop();
    }
  }

  /** The livelock graph's edge of the step that arrived at node `to`. */
  private edge(from: Arrival | undefined, to: number): void {
    if (this.graph && from) this.graph.addEdge(from.id, to, from.step.thread, from.step.choice, from.progress);
  }

  private arrive(s: S, pre: number, last: string | undefined, from?: Arrival): Frame<S> | undefined {
    const { sys, budget, threads, path } = this;
    const key = sys.key(s);
    let id = this.ids.get(key);
    let fewest = this.best.get(key);
    if (!fewest) this.best.set(key, (fewest = new Array<number>(threads.length + 1).fill(Infinity)));
    const by = last === undefined ? 0 : this.tIndex.get(last)! + 1;
    if (fewest[by] <= pre) {
      this.edge(from, id!);
      return undefined;
    }
    fewest[by] = pre;
    if (!budget.tick()) return undefined;
    const enabled = new Array<boolean>(threads.length);
    for (let i = 0; i < threads.length; i++) enabled[i] = sys.enabled(s, threads[i]);
    if (id === undefined) {
      id = this.graph ? this.graph.addNode(enabled) : this.ids.size;
      this.ids.set(key, id);
    }
    this.edge(from, id);
    for (const v of judge(sys, s, threads, enabled)) {
      if (this.found.wants(violationKey(v), pre, path.length)) this.found.add({ ...v, trace: path.slice(), preemptions: pre });
    }
    if (path.length >= budget.maxDepth) {
      if (enabled.includes(true)) budget.cutDepth();
      return undefined;
    }
    const moves: ScheduleStep[] = [];
    for (let i = 0; i < threads.length; i++) {
      if (!enabled[i]) continue;
      const t = threads[i];
      if (isPreemption(sys, s, last, t) && pre >= this.bound) {
        this.cut = true;
        continue;
      }
      for (let c = sys.choices(s, t) - 1; c >= 0; c--) moves.push({ thread: t, choice: c });
    }
    return { state: s, id, pre, last, moves, next: 0 };
  }
}
