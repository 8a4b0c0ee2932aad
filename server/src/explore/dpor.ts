/**
 * Dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005) with sleep sets, made
 * stateful. From each state only the threads that some race requires are explored: when a step is
 * dependent (system.ts `dependent`) with an earlier step of another thread on the current path, the
 * other order is scheduled at the state before the earlier step (or every enabled thread there,
 * when the later thread could not run yet). Sleep sets skip orders already covered by a sibling.
 *
 * State hashing is not sound with DPOR on its own: cutting the search at a visited state hides the
 * steps of its future from the race analysis of the new path. What we do instead:
 * - Every fully explored state keeps a summary: per thread, the union of the footprints of every
 *   step of that thread seen in its explored future (next steps of all threads at every state,
 *   explored or not). On a revisit the summary is raced against the current path as if those steps
 *   came next; unions only over-approximate dependency, so this adds backtracking, never removes it.
 * - A state explored under sleep set Z covers everything but Z; a revisit under Z' is a hit only
 *   when Z is a subset of Z', otherwise it is explored again and the stored Z becomes Z intersect Z'.
 * - Reaching a state that is still on the stack (a cycle) fully expands every state of the cycle on
 *   the path, and the summaries of the states after it refer to the open state's summary by key,
 *   resolved when someone hits them later (an unresolvable reference counts as "touches anything").
 * - Sleep sets assume an explored sibling's subtree covered its continuations; a subtree cut where
 *   it closed a cycle did not, so on a state of a cycle siblings stop putting each other to sleep
 *   (without this a thread spinning forever is put to sleep and its livelock is never seen).
 * What we gave up: precision. Summaries forget which step came first, so revisits backtrack more
 * than needed, and cycles lose reduction. The property test checks DPOR against `dfs`.
 * Invariants judge only the states visited; `System.observed` makes visible steps mutually
 * dependent so the order of everything the invariants read is explored in full.
 * `states` counts state expansions (a state re-explored under a smaller sleep set counts again).
 */
import { Budget, Collector, collectLivelock, judge, type SearchOptions, type SearchResult } from './search';
import { violationKey, type ScheduleStep, type StateKey, type StepResult, type System } from './system';
import { AccessTable, dependent, type Access } from './access';
import { StateGraph } from './livelock';
import { isPreemption } from './trace';
import { addTo, nextToExplore, NONE, sameSummary, subset, type Arrival, type Frame, type Sleep, type Step, type Succ, type Summary, type Visited } from './dpor-records';

export function dpor<S>(sys: System<S>, opts: SearchOptions = {}): SearchResult {
  return new Dpor(sys, opts).run();
}

/**
 * One search's state, its steps as methods. A class rather than closures made inside `dpor`: each
 * search made them anew, and TurboFan's code for the hot ones, specialised on the last search's
 * closures (`arrive` inlining `succOf`, `nextRace`...), was thrown away at the next search's
 * (wrong call target, weak objects): one `kpr check` of seed 002 compiled `arrive` 8 times.
 */
class Dpor<S> {
  private readonly budget: Budget;
  private readonly found = new Collector();
  private readonly s0: S;
  private readonly threads: readonly string[];
  private readonly n: number;
  private readonly table: AccessTable;
  private readonly graph: StateGraph | undefined;
  private readonly visited = new Map<StateKey, Visited>();
  private readonly summaries = new Map<number, Summary[]>();
  /** The sleep set of every state that has none (shared, never written). */
  private readonly awake: Sleep;
  private readonly onStack = new Map<StateKey, number>();
  private readonly stack: Frame<S>[] = [];
  /** steps[i]: the step from stack[i] to stack[i+1] (or to the state being arrived at). */
  private readonly steps: Step[] = [];
  /** Per thread, the index in `steps` of its last step on the path (-1: none). */
  private readonly lastOf: number[];
  private readonly none: readonly number[];
  /** Steps pushed so far (what `Step.born` counts). */
  private pushes = 0;
  private readonly path: ScheduleStep[] = [];
  /**
   * Per thread and summary access, how far along the path it was last raced, and when: the path
   * is a stack, so the steps pushed before then and still on it are a prefix of it (`keptSince`),
   * and their backtracking (sets that only grow while their state is on the stack) is done.
   */
  private readonly raced: Map<Access, { upTo: number; at: number }>[];

  constructor(private readonly sys: System<S>, private readonly opts: SearchOptions) {
    this.budget = new Budget(opts);
    this.s0 = sys.initial();
    this.threads = sys.threads(this.s0);
    const n = (this.n = this.threads.length);
    const observed = sys.observed ? new Set(sys.observed) : undefined;
    const commuting = sys.commuting ? new Set(sys.commuting) : undefined;
    this.table = new AccessTable(observed, commuting);
    this.graph = opts.livelock === false ? undefined : new StateGraph(this.threads);
    this.awake = new Array<Access | undefined>(n).fill(undefined);
    this.lastOf = new Array<number>(n).fill(-1);
    this.none = new Array<number>(n).fill(-1);
    this.raced = this.threads.map(() => new Map());
  }

  run(): SearchResult {
    const { stack, budget, awake, n } = this;
    this.arrive(this.s0, 0, undefined, awake);
    while (stack.length && !budget.stopped) {
      const f = stack[stack.length - 1];
      if (f.cur < 0 || f.curChoice >= this.succOf(f, f.cur).results.length) {
        const t = nextToExplore(f);
        if (t < 0) {
          this.finish(f);
          this.popStep();
          this.path.pop();
          continue;
        }
        f.done.push(t);
        f.cur = t;
        f.curChoice = 0;
      }
      const t = f.cur;
      const c = f.curChoice++;
      const succ = this.succOf(f, t);
      const a = succ.acc[c];
      const r = succ.results[c];
      budget.transitions++;
      // Sleep set of the child: what slept here or was explored before t here, if independent of this step.
      let sleep: (Access | undefined)[] | undefined;
      if (f.sleep !== awake) {
        for (let u = 0; u < n; u++) {
          const au = f.sleep[u];
          if (au !== undefined && !dependent(au, a)) (sleep ??= awake.slice())[u] = au;
        }
      }
      // Not on a cycle: a sibling's subtree cut where it closed a cycle did not cover what the
      // sleep-set argument assumes (its continuation), so the sibling must not sleep.
      if (!f.cyclic) {
        for (const u of f.done) {
          const au = f.next[u]!;
          if (u !== t && !dependent(au, a)) (sleep ??= awake.slice())[u] = au;
        }
      }
      const name = this.threads[t];
      this.pushStep(t, a);
      this.path.push({ thread: name, choice: c });
      const depth = stack.length;
      this.arrive(r.state, f.pre + (isPreemption(this.sys, f.state, f.last, name) ? 1 : 0), name, sleep ?? awake, { id: f.id, ti: t, choice: c, progress: r.progress, acc: a });
      if (stack.length === depth) {
        this.popStep();
        this.path.pop();
      }
    }
    if (!budget.stopped) collectLivelock(this.sys, this.graph, this.found);
    return budget.result(this.found);
  }

  /** into[i] := into[i] joined with from[i], for every thread. */
  private merge(into: Summary, from: readonly (Access | undefined)[]): void {
    for (let i = 0; i < from.length; i++) {
      const a = from[i];
      if (a === undefined) continue;
      const old = into[i];
      into[i] = old ? this.table.join(old, a) : a;
    }
  }

  /** The shared copy of a summary (summaries repeat across states): found by a hash of its
   *  accesses' numbers, compared entry by entry (accesses are interned), so a hit allocates nothing. */
  private internSummary(sm: Summary): Summary {
    let h = 0;
    for (let i = 0; i < sm.length; i++) h = (Math.imul(h, 31) + (sm[i]?.n ?? -1)) | 0;
    let bucket = this.summaries.get(h);
    if (!bucket) this.summaries.set(h, (bucket = []));
    for (const other of bucket) if (sameSummary(other, sm)) return other;
    const shared = sm.slice();
    bucket.push(shared);
    return shared;
  }

  private emptySummary(): Summary {
    return new Array<Access | undefined>(this.n).fill(undefined);
  }

  /** Happens-before clock of thread p's next step: that of p's last step (what it depends on). */
  private clockOf(p: number): readonly number[] {
    const l = this.lastOf[p];
    return l < 0 ? this.none : this.steps[l].clock;
  }

  /** Puts a step on the path with its clock: its thread's last, joined with every earlier dependent step's. */
  private pushStep(ti: number, acc: Access): void {
    const steps = this.steps;
    const k = steps.length;
    const clock = this.clockOf(ti).slice();
    for (let j = k - 1; j >= 0; j--) {
      const sj = steps[j];
      if (sj.ti === ti || j <= clock[sj.ti] || !dependent(sj.acc, acc)) continue;
      for (let u = 0; u < clock.length; u++) if (sj.clock[u] > clock[u]) clock[u] = sj.clock[u];
    }
    clock[ti] = k;
    steps.push({ ti, acc, clock, prevLast: this.lastOf[ti], born: ++this.pushes });
    this.lastOf[ti] = k;
  }

  private popStep(): void {
    const st = this.steps.pop();
    if (st) this.lastOf[st.ti] = st.prevLast;
  }

  private succOf(f: Frame<S>, ti: number): Succ<S> {
    let s = f.succ[ti];
    if (!s) {
      const t = this.threads[ti];
      const results: StepResult<S>[] = [];
      const acc: Access[] = [];
      // Counted once: a system may cache the step that counting ran and hand it over to `step`.
      const count = this.sys.choices(f.state, t);
      for (let c = 0; c < count; c++) {
        const r = this.sys.step(f.state, t, c);
        results.push(r);
        acc.push(this.table.of(r.footprint));
      }
      s = { results, acc };
      f.succ[ti] = s;
    }
    return s;
  }

  private addBacktrack(i: number, p: number): void {
    const f = this.stack[i];
    if (f.enabled[p]) addTo(f.backtrack, p);
    else for (let t = 0; t < this.n; t++) if (f.enabled[t]) addTo(f.backtrack, t);
  }

  /**
   * p's next step (access `a`) races with the last step of the path that it depends on and that
   * does not happen before it (Flanagan and Godefroid): the other order is scheduled there.
   * Earlier races are the business of the states where those steps were explored.
   */
  private nextRace(p: number, a: Access): void {
    const hb = this.clockOf(p);
    const steps = this.steps;
    for (let i = steps.length - 1; i >= 0; i--) {
      const si = steps[i];
      if (si.ti === p || i <= hb[si.ti] || !dependent(si.acc, a)) continue;
      this.addBacktrack(i, p);
      return;
    }
  }

  /** How many steps at the bottom of the path were pushed at or before `time` (they rise along it). */
  private keptSince(time: number): number {
    const steps = this.steps;
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid].born <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Some future step of p (a summary: no order, no causes known) races with every dependent step. */
  private races(p: number, a: Access): void {
    const steps = this.steps;
    const memo = this.raced[p];
    const seen = memo.get(a);
    const from = seen ? Math.min(seen.upTo, this.keptSince(seen.at)) : 0;
    for (let i = from; i < steps.length; i++) if (steps[i].ti !== p && dependent(steps[i].acc, a)) this.addBacktrack(i, p);
    memo.set(a, { upTo: steps.length, at: this.pushes });
  }

  private addRef(f: Frame<S>, key: StateKey): void {
    (f.refs ??= new Set()).add(key);
  }

  /** A cycle back to stack[j]: expand every state of it fully; later summaries depend on j's. */
  private stackHit(j: number): void {
    const stack = this.stack;
    for (let i = j; i < stack.length; i++) {
      const f = stack[i];
      for (let t = 0; t < this.n; t++) if (f.enabled[t]) addTo(f.backtrack, t);
      f.cyclic = true;
      if (i > j) this.addRef(f, stack[j].key);
    }
  }

  /** Summary of an explored state with its references followed; open ones are reported by index. */
  private resolve(key: StateKey): { summary: Summary; open: readonly number[] } {
    // Most explored states refer to no other: their own summary is the whole of it.
    const own = this.visited.get(key);
    if (own?.summary && own.refs === undefined && !this.onStack.has(key)) return { summary: own.summary, open: NONE };
    const summary = this.emptySummary();
    const open: number[] = [];
    const seen = new Set([key]);
    const queue = [key];
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      const j = this.onStack.get(k);
      const c = this.visited.get(k);
      if (j !== undefined) open.push(j);
      else if (c?.summary) {
        this.merge(summary, c.summary);
        for (const r of c.refs ?? NONE) if (!seen.has(r)) { seen.add(r); queue.push(r); }
      } else summary.fill(this.table.any);
    }
    return { summary, open };
  }

  /**
   * t's next step at a state its parent reached by `from`'s step: when t could run at the parent
   * too and its step there is independent of `from`'s, the step has not changed (the System
   * contract: a pending step stays put while others take independent steps), so its access is
   * the parent's and the model is not run for it until the search takes it. Most next steps a
   * state needs for the race analysis are of threads the search never explores there.
   */
  private inherited(t: number, from: Arrival | undefined): Access | undefined {
    const parent = this.stack[this.stack.length - 1];
    if (!from || !parent || t === from.ti || !parent.enabled[t]) return undefined;
    const a = parent.next[t];
    return a !== undefined && !dependent(a, from.acc) ? a : undefined;
  }

  /** The livelock graph's edge of the step that arrived at node `to`. */
  private edge(from: Arrival | undefined, to: number): void {
    if (this.graph && from) this.graph.addEdge(from.id, to, this.threads[from.ti], from.choice, from.progress);
  }

  private arrive(s: S, pre: number, last: string | undefined, sleep: Sleep, from?: Arrival): void {
    const { sys, stack, visited, n, threads } = this;
    const key = sys.key(s);
    const parent = stack[stack.length - 1];
    const seen = visited.get(key);
    let id = seen?.id;
    const j = this.onStack.get(key);
    if (j !== undefined) {
      this.edge(from, id!);
      this.stackHit(j);
      if (parent && j !== stack.length - 1) this.addRef(parent, key);
      return;
    }
    if (seen?.summary && subset(seen.sleep ?? NONE, sleep)) {
      this.edge(from, id!);
      const { summary, open } = this.resolve(key);
      for (let i = 0; i < summary.length; i++) {
        const a = summary[i];
        if (a) this.races(i, a);
      }
      if (open.length) {
        let lowest = open[0];
        for (const o of open) if (o < lowest) lowest = o;
        this.stackHit(lowest);
      }
      if (parent) {
        this.merge(parent.summary, summary);
        for (const o of open) this.addRef(parent, stack[o].key);
      }
      return;
    }
    if (!this.budget.tick()) return;
    const enabled = new Array<boolean>(n);
    for (let t = 0; t < n; t++) enabled[t] = sys.enabled(s, threads[t]);
    if (id === undefined) {
      id = this.graph ? this.graph.addNode(enabled) : visited.size;
      visited.set(key, { id });
    }
    this.edge(from, id);
    for (const v of judge(sys, s, threads, enabled)) {
      if (this.found.wants(violationKey(v), pre, this.path.length)) this.found.add({ ...v, trace: this.path.slice(), preemptions: pre });
    }
    if (this.path.length >= this.budget.maxDepth) {
      if (enabled.includes(true)) this.budget.cutDepth();
      return;
    }
    const summary = this.emptySummary();
    const f: Frame<S> = {
      state: s, key, id, pre, last, enabled,
      succ: new Array<Succ<S> | undefined>(n), next: summary, backtrack: [], done: [],
      sleep, cur: -1, curChoice: 0,
      summary, refs: undefined, cyclic: false,
    };
    for (let t = 0; t < n; t++) {
      if (sys.done(s, threads[t])) continue;
      let a: Access;
      const kept = enabled[t] ? this.inherited(t, from) : undefined;
      if (kept !== undefined && !this.opts.checkFootprints) a = kept;
      else if (enabled[t]) {
        const acc = this.succOf(f, t).acc;
        a = acc[0];
        for (let c = 1; c < acc.length; c++) a = this.table.join(a, acc[c]);
        if (kept !== undefined && kept !== a) throw new Error(`dpor: ${threads[t]}'s next step changed under an independent step of ${threads[from!.ti]} (System contract broken)`);
      } else {
        const fp = sys.pending?.(s, threads[t]);
        a = fp ? this.table.of(fp) : this.table.any;
      }
      summary[t] = a;
      // An inherited step is independent of the path's last step and its thread's clock did not
      // move, so its race is the one the parent found (and scheduled) for it.
      if (kept === undefined) this.nextRace(t, a);
    }
    // The summary grows with the state's future (merge); the next steps stay as they are now.
    f.next = summary.slice();
    for (let t = 0; t < n; t++) {
      if (!enabled[t] || sleep[t] !== undefined) continue;
      f.backtrack.push(t);
      break;
    }
    this.onStack.set(key, stack.length);
    stack.push(f);
  }

  private finish(f: Frame<S>): void {
    const { stack, n } = this;
    stack.pop();
    this.onStack.delete(f.key);
    // Every state on the stack was given its entry when it arrived.
    const node = this.visited.get(f.key)!;
    const explored = node.summary !== undefined;
    // Most states finish with no sleep set and no references: nothing to build for them.
    const sleep: number[] = [];
    if (f.sleep !== this.awake) {
      for (let t = 0; t < n; t++) if (f.sleep[t] !== undefined && (!explored || (node.sleep ?? NONE).includes(t))) sleep.push(t);
    }
    let summary = f.summary;
    if (node.summary) {
      summary = summary.slice();
      this.merge(summary, node.summary);
    }
    f.refs?.delete(f.key);
    const own = f.refs?.size ? f.refs : undefined;
    const refs = own === undefined ? node.refs : node.refs === undefined ? [...own] : [...new Set([...own, ...node.refs])];
    node.summary = this.internSummary(summary);
    node.sleep = sleep.length ? sleep : undefined;
    node.refs = refs?.length ? refs : undefined;
    const parent = stack[stack.length - 1];
    if (parent) {
      this.merge(parent.summary, f.summary);
      if (own) for (const r of own) if (r !== parent.key) this.addRef(parent, r);
    }
  }
}
