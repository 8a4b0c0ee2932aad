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

interface Frame<S> {
  state: S;
  key: string;
  id: number;
  pre: number;
  last: string | undefined;
  enabled: Set<string>;
  succ: Map<string, Succ<S>>;
  /** Footprint of every unfinished thread's next step (union over its choices). */
  next: Map<string, Access>;
  backtrack: Set<string>;
  done: Set<string>;
  /** The sleep set the state was reached with (never changed: the explored siblings join the
   *  children's sleep sets through `done`). */
  sleep: ReadonlyMap<string, Access>;
  cur: string | undefined;
  curChoice: number;
  /** Per thread index: the union of its steps' accesses in this state's explored future. */
  summary: Summary;
  refs: Set<string>;
  /** A cycle closed through this state: siblings no longer put each other to sleep. */
  cyclic: boolean;
}

interface Step {
  thread: string;
  ti: number;
  acc: Access;
  /** clock[u]: index of the last step of thread u that happens before this one (or is it). */
  clock: Int32Array;
  /** lastOf of this thread before the step (restored when it leaves the path). */
  prevLast: number;
  /** When it was pushed (a count of pushes): rises along the path. */
  born: number;
}

/** The step a state was reached by: from which state (its graph id), whose step, its access. */
interface Arrival {
  id: number;
  thread: string;
  choice: number;
  progress: boolean;
  acc: Access;
}

/** Per thread index, a union of accesses (undefined: no step of that thread). */
type Summary = (Access | undefined)[];

/**
 * What the search keeps per visited state: its number in the graph and, once explored in full,
 * the sleep set it was explored under and its summary. Kept small (a search holds one per state):
 * summaries are interned, so states with the same future footprints share one array, and empty
 * sleep sets and references are left out.
 */
interface Visited {
  id: number;
  /** Set when the state was explored in full. */
  summary?: Summary;
  sleep?: readonly string[];
  refs?: readonly string[];
}

const NO_THREADS: readonly string[] = [];

/** Whether every thread of a is one of b's. */
function subset(a: readonly string[], b: ReadonlyMap<string, unknown>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The first thread to backtrack to that was neither explored here nor asleep. */
function nextToExplore<S>(f: Frame<S>): string | undefined {
  for (const x of f.backtrack) if (!f.done.has(x) && !f.sleep.has(x)) return x;
  return undefined;
}

export function dpor<S>(sys: System<S>, opts: SearchOptions = {}): SearchResult {
  const budget = new Budget(opts);
  const found = new Collector();
  const s0 = sys.initial();
  const threads = sys.threads(s0);
  const observed = sys.observed ? new Set(sys.observed) : undefined;
  const commuting = sys.commuting ? new Set(sys.commuting) : undefined;
  const table = new AccessTable(observed, commuting);
  const graph = opts.livelock === false ? undefined : new StateGraph(threads);
  const visited = new Map<string, Visited>();
  const summaries = new Map<string, Summary>();
  /** into[i] := into[i] joined with from[i], for every thread. */
  const merge = (into: Summary, from: readonly (Access | undefined)[]): void => {
    for (let i = 0; i < from.length; i++) {
      const a = from[i];
      if (a === undefined) continue;
      const old = into[i];
      into[i] = old ? table.join(old, a) : a;
    }
  };
  /** The shared copy of a summary (summaries repeat across states). */
  const internSummary = (sm: Summary): Summary => {
    let key = '';
    for (const a of sm) key += a ? `${a.n},` : ',';
    let shared = summaries.get(key);
    if (!shared) summaries.set(key, (shared = sm.slice()));
    return shared;
  };
  const emptySummary = (): Summary => new Array<Access | undefined>(threads.length).fill(undefined);
  const onStack = new Map<string, number>();
  const stack: Frame<S>[] = [];
  /** steps[i]: the step from stack[i] to stack[i+1] (or to the state being arrived at). */
  const steps: Step[] = [];
  const tIndex = new Map(threads.map((t, i) => [t, i]));
  /** Per thread, the index in `steps` of its last step on the path (-1: none). */
  const lastOf = new Array<number>(threads.length).fill(-1);
  const none = new Int32Array(threads.length).fill(-1);
  /** Happens-before clock of thread p's next step: that of p's last step (what it depends on). */
  const clockOf = (p: string): Int32Array => { const l = lastOf[tIndex.get(p)!]; return l < 0 ? none : steps[l].clock; };

  /** Steps pushed so far (what `Step.born` counts). */
  let pushes = 0;
  /** Puts a step on the path with its clock: its thread's last, joined with every earlier dependent step's. */
  const pushStep = (t: string, acc: Access) => {
    const ti = tIndex.get(t)!;
    const k = steps.length;
    const clock = Int32Array.from(clockOf(t));
    for (let j = k - 1; j >= 0; j--) {
      const sj = steps[j];
      if (sj.ti === ti || j <= clock[sj.ti] || !dependent(sj.acc, acc)) continue;
      for (let u = 0; u < clock.length; u++) if (sj.clock[u] > clock[u]) clock[u] = sj.clock[u];
    }
    clock[ti] = k;
    steps.push({ thread: t, ti, acc, clock, prevLast: lastOf[ti], born: ++pushes });
    lastOf[ti] = k;
  };
  const popStep = () => {
    const st = steps.pop();
    if (st) lastOf[st.ti] = st.prevLast;
  };
  const path: ScheduleStep[] = [];

  const succOf = (f: Frame<S>, t: string): Succ<S> => {
    let s = f.succ.get(t);
    if (!s) {
      const results: StepResult<S>[] = [];
      // Counted once: a system may cache the step that counting ran and hand it over to `step`.
      const n = sys.choices(f.state, t);
      for (let c = 0; c < n; c++) results.push(sys.step(f.state, t, c));
      s = { results, acc: results.map((r) => table.of(r.footprint)) };
      f.succ.set(t, s);
    }
    return s;
  };

  const addBacktrack = (i: number, p: string) => {
    const f = stack[i];
    if (f.enabled.has(p)) f.backtrack.add(p);
    else for (const t of f.enabled) f.backtrack.add(t);
  };

  /**
   * p's next step (access `a`) races with the last step of the path that it depends on and that
   * does not happen before it (Flanagan and Godefroid): the other order is scheduled there.
   * Earlier races are the business of the states where those steps were explored.
   */
  const nextRace = (p: string, a: Access) => {
    const hb = clockOf(p);
    for (let i = steps.length - 1; i >= 0; i--) {
      const si = steps[i];
      if (si.thread === p || i <= hb[si.ti] || !dependent(si.acc, a)) continue;
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
  const races = (p: string, a: Access) => {
    const memo = raced[tIndex.get(p)!];
    const seen = memo.get(a);
    const from = seen ? Math.min(seen.upTo, keptSince(seen.at)) : 0;
    for (let i = from; i < steps.length; i++) if (steps[i].thread !== p && dependent(steps[i].acc, a)) addBacktrack(i, p);
    memo.set(a, { upTo: steps.length, at: pushes });
  };

  /** A cycle back to stack[j]: expand every state of it fully; later summaries depend on j's. */
  const stackHit = (j: number) => {
    for (let i = j; i < stack.length; i++) {
      for (const t of stack[i].enabled) stack[i].backtrack.add(t);
      stack[i].cyclic = true;
      if (i > j) stack[i].refs.add(stack[j].key);
    }
  };

  /** Summary of an explored state with its references followed; open ones are reported by index. */
  const resolve = (key: string): { summary: Summary; open: number[] } => {
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
        for (const r of c.refs ?? NO_THREADS) if (!seen.has(r)) { seen.add(r); queue.push(r); }
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
  const inherited = (t: string, from: Arrival | undefined): Access | undefined => {
    const parent = stack[stack.length - 1];
    if (!from || !parent || t === from.thread || !parent.enabled.has(t)) return undefined;
    const a = parent.next.get(t);
    return a !== undefined && !dependent(a, from.acc) ? a : undefined;
  };

  const arrive = (s: S, pre: number, last: string | undefined, sleep: Map<string, Access>, from?: Arrival): void => {
    const key = sys.key(s);
    const parent = stack[stack.length - 1];
    const seen = visited.get(key);
    let id = seen?.id;
    const edge = (to: number) => { if (graph && from) graph.addEdge(from.id, to, from.thread, from.choice, from.progress); };
    const j = onStack.get(key);
    if (j !== undefined) {
      edge(id!);
      stackHit(j);
      if (parent && j !== stack.length - 1) parent.refs.add(key);
      return;
    }
    if (seen?.summary && subset(seen.sleep ?? NO_THREADS, sleep)) {
      edge(id!);
      const { summary, open } = resolve(key);
      for (let i = 0; i < summary.length; i++) {
        const a = summary[i];
        if (a) races(threads[i], a);
      }
      if (open.length) stackHit(open.reduce((m, x) => Math.min(m, x), Infinity));
      if (parent) {
        merge(parent.summary, summary);
        for (const o of open) parent.refs.add(stack[o].key);
      }
      return;
    }
    if (!budget.tick()) return;
    const enabledList = threads.map((t) => sys.enabled(s, t));
    if (id === undefined) {
      id = graph ? graph.addNode(enabledList) : visited.size;
      visited.set(key, { id });
    }
    edge(id);
    for (const v of judge(sys, s, threads, enabledList)) {
      if (found.wants(violationKey(v), pre, path.length)) found.add({ ...v, trace: path.slice(), preemptions: pre });
    }
    if (path.length >= budget.maxDepth) {
      if (enabledList.includes(true)) budget.cutDepth();
      return;
    }
    const f: Frame<S> = {
      state: s, key, id, pre, last,
      enabled: new Set(threads.filter((_, i) => enabledList[i])),
      succ: new Map(), next: new Map(), backtrack: new Set(), done: new Set(),
      sleep, cur: undefined, curChoice: 0,
      summary: emptySummary(), refs: new Set(), cyclic: false,
    };
    for (const t of threads) {
      if (sys.done(s, t)) continue;
      let a: Access;
      const kept = f.enabled.has(t) ? inherited(t, from) : undefined;
      if (f.enabled.has(t)) {
        if (kept === undefined || opts.checkFootprints) {
          a = succOf(f, t).acc.reduce((x, y) => table.join(x, y));
          if (kept !== undefined && kept !== a) throw new Error(`dpor: ${t}'s next step changed under an independent step of ${from!.thread} (System contract broken)`);
        } else a = kept;
      } else {
        const fp = sys.pending?.(s, t);
        a = fp ? table.of(fp) : table.any;
      }
      f.next.set(t, a);
      f.summary[tIndex.get(t)!] = a;
      // An inherited step is independent of the path's last step and its thread's clock did not
      // move, so its race is the one the parent found (and scheduled) for it.
      if (kept === undefined) nextRace(t, a);
    }
    for (const t of f.enabled) {
      if (f.sleep.has(t)) continue;
      f.backtrack.add(t);
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
    const sleep = f.sleep.size === 0 ? NO_THREADS : [...f.sleep.keys()].filter((t) => !explored || (node.sleep ?? NO_THREADS).includes(t));
    let summary = f.summary;
    if (node.summary) {
      summary = summary.slice();
      merge(summary, node.summary);
    }
    f.refs.delete(f.key);
    const refs = f.refs.size === 0 ? node.refs : node.refs === undefined ? [...f.refs] : [...new Set([...f.refs, ...node.refs])];
    node.summary = internSummary(summary);
    node.sleep = sleep.length ? sleep : undefined;
    node.refs = refs?.length ? refs : undefined;
    const parent = stack[stack.length - 1];
    if (parent) {
      merge(parent.summary, f.summary);
      for (const r of f.refs) if (r !== parent.key) parent.refs.add(r);
    }
  };

  arrive(s0, 0, undefined, new Map());
  while (stack.length && !budget.stopped) {
    const f = stack[stack.length - 1];
    if (f.cur === undefined || f.curChoice >= succOf(f, f.cur).results.length) {
      const t = nextToExplore(f);
      if (t === undefined) {
        finish(f);
        popStep();
        path.pop();
        continue;
      }
      f.done.add(t);
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
    const sleep = new Map<string, Access>();
    for (const [u, au] of f.sleep) if (!dependent(au, a)) sleep.set(u, au);
    // Not on a cycle: a sibling's subtree cut where it closed a cycle did not cover what the
    // sleep-set argument assumes (its continuation), so the sibling must not sleep.
    if (!f.cyclic) {
      for (const u of f.done) {
        const au = f.next.get(u)!;
        if (u !== t && !dependent(au, a)) sleep.set(u, au);
      }
    }
    pushStep(t, a);
    path.push({ thread: t, choice: c });
    const depth = stack.length;
    arrive(r.state, f.pre + (isPreemption(sys, f.state, f.last, t) ? 1 : 0), t, sleep, { id: f.id, thread: t, choice: c, progress: r.progress, acc: a });
    if (stack.length === depth) {
      popStep();
      path.pop();
    }
  }
  if (!budget.stopped) collectLivelock(sys, graph, found);
  return budget.result(found);
}
