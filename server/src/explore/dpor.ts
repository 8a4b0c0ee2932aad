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
import { violationKey, type ScheduleStep, type StepResult, type System } from './system';
import { AccessTable, dependent, type Access } from './access';
import { StateGraph } from './livelock';
import { isPreemption } from './trace';

interface Succ<S> {
  results: StepResult<S>[];
  acc: Access[];
}

/**
 * A sleep set by thread index: the access of each sleeping thread's next step, undefined for one
 * awake. Most states have none: they share `awake` instead of an array of their own.
 */
type Sleep = readonly (Access | undefined)[];

/**
 * A state on the search's stack. Threads are numbered by their place in `System.threads`; the
 * small sets (enabled, to explore, explored) are arrays by that number or short lists of them,
 * which cost a state far less to build than Sets and Maps (DPOR's share of a step's allocation).
 */
interface Frame<S> {
  state: S;
  key: string;
  id: number;
  pre: number;
  /** The thread whose step led here (a name: the System's preemption test takes names). */
  last: string | undefined;
  /** enabled[i]: thread i can take a step here. */
  enabled: readonly boolean[];
  /** Per thread, the outcomes of its next step, once run. */
  succ: (Succ<S> | undefined)[];
  /** Footprint of every unfinished thread's next step (union over its choices); undefined: done. */
  next: (Access | undefined)[];
  /** Threads to explore here, in the order they were asked for. */
  backtrack: number[];
  /** Threads explored here. */
  done: number[];
  /** The sleep set the state was reached with (never changed: the explored siblings join the
   *  children's sleep sets through `done`). */
  sleep: Sleep;
  /** The thread being explored here (-1: none yet) and its next choice. */
  cur: number;
  curChoice: number;
  /** Per thread index: the union of its steps' accesses in this state's explored future. */
  summary: Summary;
  /** Keys of open states this one's summary refers to (made when the first is). */
  refs: Set<string> | undefined;
  /** A cycle closed through this state: siblings no longer put each other to sleep. */
  cyclic: boolean;
}

interface Step {
  ti: number;
  acc: Access;
  /** clock[u]: index of the last step of thread u that happens before this one (or is it). A
   *  plain array: a typed array costs more to make than it saves for a dozen threads. */
  clock: number[];
  /** lastOf of this thread before the step (restored when it leaves the path). */
  prevLast: number;
  /** When it was pushed (a count of pushes): rises along the path. */
  born: number;
}

/** The step a state was reached by: from which state (its graph id), whose step, its access. */
interface Arrival {
  id: number;
  ti: number;
  choice: number;
  progress: boolean;
  acc: Access;
}

/** Per thread index, a union of accesses (undefined: no step of that thread). */
type Summary = (Access | undefined)[];

/**
 * What the search keeps per visited state: its number in the graph and, once explored in full,
 * the sleep set it was explored under (thread indices) and its summary. Kept small (a search
 * holds one per state): summaries are interned, so states with the same future footprints share
 * one array, and empty sleep sets and references are left out.
 */
interface Visited {
  id: number;
  /** Set when the state was explored in full. */
  summary?: Summary;
  sleep?: readonly number[];
  refs?: readonly string[];
}

const NONE: readonly never[] = [];

/** Whether every thread of a sleeps in b. */
function subset(a: readonly number[], b: Sleep): boolean {
  for (const x of a) if (b[x] === undefined) return false;
  return true;
}

/** Whether two summaries hold the same access for every thread. */
function sameSummary(a: Summary, b: Summary): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds x to a short list of thread indices unless it is there. */
function addTo(list: number[], x: number): void {
  if (!list.includes(x)) list.push(x);
}

/** The first thread to backtrack to that was neither explored here nor asleep (-1: none). */
function nextToExplore<S>(f: Frame<S>): number {
  for (const x of f.backtrack) if (!f.done.includes(x) && f.sleep[x] === undefined) return x;
  return -1;
}

export function dpor<S>(sys: System<S>, opts: SearchOptions = {}): SearchResult {
  const budget = new Budget(opts);
  const found = new Collector();
  const s0 = sys.initial();
  const threads = sys.threads(s0);
  const n = threads.length;
  const observed = sys.observed ? new Set(sys.observed) : undefined;
  const commuting = sys.commuting ? new Set(sys.commuting) : undefined;
  const table = new AccessTable(observed, commuting);
  const graph = opts.livelock === false ? undefined : new StateGraph(threads);
  const visited = new Map<string, Visited>();
  const summaries = new Map<number, Summary[]>();
  const awake: Sleep = new Array<Access | undefined>(n).fill(undefined);
  /** into[i] := into[i] joined with from[i], for every thread. */
  const merge = (into: Summary, from: readonly (Access | undefined)[]): void => {
    for (let i = 0; i < from.length; i++) {
      const a = from[i];
      if (a === undefined) continue;
      const old = into[i];
      into[i] = old ? table.join(old, a) : a;
    }
  };
  /** The shared copy of a summary (summaries repeat across states): found by a hash of its
   *  accesses' numbers, compared entry by entry (accesses are interned), so a hit allocates nothing. */
  const internSummary = (sm: Summary): Summary => {
    let h = 0;
    for (let i = 0; i < sm.length; i++) h = (Math.imul(h, 31) + (sm[i]?.n ?? -1)) | 0;
    let bucket = summaries.get(h);
    if (!bucket) summaries.set(h, (bucket = []));
    for (const other of bucket) if (sameSummary(other, sm)) return other;
    const shared = sm.slice();
    bucket.push(shared);
    return shared;
  };
  const emptySummary = (): Summary => new Array<Access | undefined>(n).fill(undefined);
  const onStack = new Map<string, number>();
  const stack: Frame<S>[] = [];
  /** steps[i]: the step from stack[i] to stack[i+1] (or to the state being arrived at). */
  const steps: Step[] = [];
  /** Per thread, the index in `steps` of its last step on the path (-1: none). */
  const lastOf = new Array<number>(n).fill(-1);
  const none: readonly number[] = new Array<number>(n).fill(-1);
  /** Happens-before clock of thread p's next step: that of p's last step (what it depends on). */
  const clockOf = (p: number): readonly number[] => { const l = lastOf[p]; return l < 0 ? none : steps[l].clock; };

  /** Steps pushed so far (what `Step.born` counts). */
  let pushes = 0;
  /** Puts a step on the path with its clock: its thread's last, joined with every earlier dependent step's. */
  const pushStep = (ti: number, acc: Access) => {
    const k = steps.length;
    const clock = clockOf(ti).slice();
    for (let j = k - 1; j >= 0; j--) {
      const sj = steps[j];
      if (sj.ti === ti || j <= clock[sj.ti] || !dependent(sj.acc, acc)) continue;
      for (let u = 0; u < clock.length; u++) if (sj.clock[u] > clock[u]) clock[u] = sj.clock[u];
    }
    clock[ti] = k;
    steps.push({ ti, acc, clock, prevLast: lastOf[ti], born: ++pushes });
    lastOf[ti] = k;
  };
  const popStep = () => {
    const st = steps.pop();
    if (st) lastOf[st.ti] = st.prevLast;
  };
  const path: ScheduleStep[] = [];

  const succOf = (f: Frame<S>, ti: number): Succ<S> => {
    let s = f.succ[ti];
    if (!s) {
      const t = threads[ti];
      const results: StepResult<S>[] = [];
      // Counted once: a system may cache the step that counting ran and hand it over to `step`.
      const count = sys.choices(f.state, t);
      for (let c = 0; c < count; c++) results.push(sys.step(f.state, t, c));
      s = { results, acc: results.map((r) => table.of(r.footprint)) };
      f.succ[ti] = s;
    }
    return s;
  };

  const addBacktrack = (i: number, p: number) => {
    const f = stack[i];
    if (f.enabled[p]) addTo(f.backtrack, p);
    else for (let t = 0; t < n; t++) if (f.enabled[t]) addTo(f.backtrack, t);
  };

  /**
   * p's next step (access `a`) races with the last step of the path that it depends on and that
   * does not happen before it (Flanagan and Godefroid): the other order is scheduled there.
   * Earlier races are the business of the states where those steps were explored.
   */
  const nextRace = (p: number, a: Access) => {
    const hb = clockOf(p);
    for (let i = steps.length - 1; i >= 0; i--) {
      const si = steps[i];
      if (si.ti === p || i <= hb[si.ti] || !dependent(si.acc, a)) continue;
      addBacktrack(i, p);
      return;
    }
  };

  /**
   * Per thread and summary access, how far along the path it was last raced, and when: the path
   * is a stack, so the steps pushed before then and still on it are a prefix of it (`keptSince`),
   * and their backtracking (sets that only grow while their state is on the stack) is done.
   */
  const raced: Map<Access, { upTo: number; at: number }>[] = threads.map(() => new Map());

  /** How many steps at the bottom of the path were pushed at or before `time` (they rise along it). */
  const keptSince = (time: number): number => {
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid].born <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** Some future step of p (a summary: no order, no causes known) races with every dependent step. */
  const races = (p: number, a: Access) => {
    const memo = raced[p];
    const seen = memo.get(a);
    const from = seen ? Math.min(seen.upTo, keptSince(seen.at)) : 0;
    for (let i = from; i < steps.length; i++) if (steps[i].ti !== p && dependent(steps[i].acc, a)) addBacktrack(i, p);
    memo.set(a, { upTo: steps.length, at: pushes });
  };

  const addRef = (f: Frame<S>, key: string) => {
    (f.refs ??= new Set()).add(key);
  };

  /** A cycle back to stack[j]: expand every state of it fully; later summaries depend on j's. */
  const stackHit = (j: number) => {
    for (let i = j; i < stack.length; i++) {
      const f = stack[i];
      for (let t = 0; t < n; t++) if (f.enabled[t]) addTo(f.backtrack, t);
      f.cyclic = true;
      if (i > j) addRef(f, stack[j].key);
    }
  };

  /** Summary of an explored state with its references followed; open ones are reported by index. */
  const resolve = (key: string): { summary: Summary; open: readonly number[] } => {
    // Most explored states refer to no other: their own summary is the whole of it.
    const own = visited.get(key);
    if (own?.summary && own.refs === undefined && !onStack.has(key)) return { summary: own.summary, open: NONE };
    const summary = emptySummary();
    const open: number[] = [];
    const seen = new Set([key]);
    const queue = [key];
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      const j = onStack.get(k);
      const c = visited.get(k);
      if (j !== undefined) open.push(j);
      else if (c?.summary) {
        merge(summary, c.summary);
        for (const r of c.refs ?? NONE) if (!seen.has(r)) { seen.add(r); queue.push(r); }
      } else summary.fill(table.any);
    }
    return { summary, open };
  };

  /**
   * t's next step at a state its parent reached by `from`'s step: when t could run at the parent
   * too and its step there is independent of `from`'s, the step has not changed (the System
   * contract: a pending step stays put while others take independent steps), so its access is
   * the parent's and the model is not run for it until the search takes it. Most next steps a
   * state needs for the race analysis are of threads the search never explores there.
   */
  const inherited = (t: number, from: Arrival | undefined): Access | undefined => {
    const parent = stack[stack.length - 1];
    if (!from || !parent || t === from.ti || !parent.enabled[t]) return undefined;
    const a = parent.next[t];
    return a !== undefined && !dependent(a, from.acc) ? a : undefined;
  };

  const arrive = (s: S, pre: number, last: string | undefined, sleep: Sleep, from?: Arrival): void => {
    const key = sys.key(s);
    const parent = stack[stack.length - 1];
    const seen = visited.get(key);
    let id = seen?.id;
    const edge = (to: number) => { if (graph && from) graph.addEdge(from.id, to, threads[from.ti], from.choice, from.progress); };
    const j = onStack.get(key);
    if (j !== undefined) {
      edge(id!);
      stackHit(j);
      if (parent && j !== stack.length - 1) addRef(parent, key);
      return;
    }
    if (seen?.summary && subset(seen.sleep ?? NONE, sleep)) {
      edge(id!);
      const { summary, open } = resolve(key);
      for (let i = 0; i < summary.length; i++) {
        const a = summary[i];
        if (a) races(i, a);
      }
      if (open.length) stackHit(open.reduce((m, x) => Math.min(m, x), Infinity));
      if (parent) {
        merge(parent.summary, summary);
        for (const o of open) addRef(parent, stack[o].key);
      }
      return;
    }
    if (!budget.tick()) return;
    const enabled = threads.map((t) => sys.enabled(s, t));
    if (id === undefined) {
      id = graph ? graph.addNode(enabled) : visited.size;
      visited.set(key, { id });
    }
    edge(id);
    for (const v of judge(sys, s, threads, enabled)) {
      if (found.wants(violationKey(v), pre, path.length)) found.add({ ...v, trace: path.slice(), preemptions: pre });
    }
    if (path.length >= budget.maxDepth) {
      if (enabled.includes(true)) budget.cutDepth();
      return;
    }
    const summary = emptySummary();
    const f: Frame<S> = {
      state: s, key, id, pre, last, enabled,
      succ: new Array<Succ<S> | undefined>(n), next: summary, backtrack: [], done: [],
      sleep, cur: -1, curChoice: 0,
      summary, refs: undefined, cyclic: false,
    };
    for (let t = 0; t < n; t++) {
      if (sys.done(s, threads[t])) continue;
      let a: Access;
      const kept = enabled[t] ? inherited(t, from) : undefined;
      if (kept !== undefined && !opts.checkFootprints) a = kept;
      else if (enabled[t]) {
        a = succOf(f, t).acc.reduce((x, y) => table.join(x, y));
        if (kept !== undefined && kept !== a) throw new Error(`dpor: ${threads[t]}'s next step changed under an independent step of ${threads[from!.ti]} (System contract broken)`);
      } else {
        const fp = sys.pending?.(s, threads[t]);
        a = fp ? table.of(fp) : table.any;
      }
      summary[t] = a;
      // An inherited step is independent of the path's last step and its thread's clock did not
      // move, so its race is the one the parent found (and scheduled) for it.
      if (kept === undefined) nextRace(t, a);
    }
    // The summary grows with the state's future (merge); the next steps stay as they are now.
    f.next = summary.slice();
    for (let t = 0; t < n; t++) {
      if (!enabled[t] || sleep[t] !== undefined) continue;
      f.backtrack.push(t);
      break;
    }
    onStack.set(key, stack.length);
    stack.push(f);
  };

  const finish = (f: Frame<S>) => {
    stack.pop();
    onStack.delete(f.key);
    // Every state on the stack was given its entry when it arrived.
    const node = visited.get(f.key)!;
    const explored = node.summary !== undefined;
    // Most states finish with no sleep set and no references: nothing to build for them.
    const sleep: number[] = [];
    if (f.sleep !== awake) {
      for (let t = 0; t < n; t++) if (f.sleep[t] !== undefined && (!explored || (node.sleep ?? NONE).includes(t))) sleep.push(t);
    }
    let summary = f.summary;
    if (node.summary) {
      summary = summary.slice();
      merge(summary, node.summary);
    }
    f.refs?.delete(f.key);
    const own = f.refs?.size ? f.refs : undefined;
    const refs = own === undefined ? node.refs : node.refs === undefined ? [...own] : [...new Set([...own, ...node.refs])];
    node.summary = internSummary(summary);
    node.sleep = sleep.length ? sleep : undefined;
    node.refs = refs?.length ? refs : undefined;
    const parent = stack[stack.length - 1];
    if (parent) {
      merge(parent.summary, f.summary);
      if (own) for (const r of own) if (r !== parent.key) addRef(parent, r);
    }
  };

  arrive(s0, 0, undefined, awake);
  while (stack.length && !budget.stopped) {
    const f = stack[stack.length - 1];
    if (f.cur < 0 || f.curChoice >= succOf(f, f.cur).results.length) {
      const t = nextToExplore(f);
      if (t < 0) {
        finish(f);
        popStep();
        path.pop();
        continue;
      }
      f.done.push(t);
      f.cur = t;
      f.curChoice = 0;
    }
    const t = f.cur;
    const c = f.curChoice++;
    const succ = succOf(f, t);
    const a = succ.acc[c];
    const r = succ.results[c];
    budget.transitions++;
    // Sleep set of the child: what slept here or was explored before t here, if independent of this step.
    let sleep: (Access | undefined)[] | undefined;
    const put = (u: number, au: Access) => { (sleep ??= awake.slice())[u] = au; };
    if (f.sleep !== awake) for (let u = 0; u < n; u++) { const au = f.sleep[u]; if (au !== undefined && !dependent(au, a)) put(u, au); }
    // Not on a cycle: a sibling's subtree cut where it closed a cycle did not cover what the
    // sleep-set argument assumes (its continuation), so the sibling must not sleep.
    if (!f.cyclic) {
      for (const u of f.done) {
        const au = f.next[u]!;
        if (u !== t && !dependent(au, a)) put(u, au);
      }
    }
    const name = threads[t];
    pushStep(t, a);
    path.push({ thread: name, choice: c });
    const depth = stack.length;
    arrive(r.state, f.pre + (isPreemption(sys, f.state, f.last, name) ? 1 : 0), name, sleep ?? awake, { id: f.id, ti: t, choice: c, progress: r.progress, acc: a });
    if (stack.length === depth) {
      popStep();
      path.pop();
    }
  }
  if (!budget.stopped) collectLivelock(sys, graph, found);
  return budget.result(found);
}
