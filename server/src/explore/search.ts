/**
 * What every search strategy shares: options (budgets, cancellation, progress), the result shape,
 * the budget keeper and the collector that keeps one minimal counterexample per rule.
 */
import { getHeapStatistics } from 'node:v8';
import type { ScheduleStep } from './system';

export type StopReason = 'states' | 'time' | 'memory' | 'cancelled' | 'depth';

/** Anything with an `aborted` flag: an AbortSignal, or a view of shared memory set by another thread. */
export interface CancelToken {
  readonly aborted: boolean;
}

export interface Progress {
  states: number;
  transitions: number;
  ms: number;
  /** Context bound being searched (bounded search only). */
  bound?: number;
}

export interface SearchOptions {
  /** Most distinct states (default 1e6). */
  maxStates?: number;
  /** Most steps in one schedule (default 1000). */
  maxDepth?: number;
  /** Wall time in ms (default: none). */
  maxMs?: number;
  /** Heap ceiling in bytes, sampled every `checkEvery` states (default: none). */
  maxHeapBytes?: number;
  /** Context bound for the bounded search (default 2). */
  preemptions?: number;
  signal?: CancelToken;
  /** How many new states between clock and cancellation checks (default 8). */
  checkEvery?: number;
  onProgress?: (p: Progress) => void;
  /** Record the state graph and look for livelocks (default true). */
  livelock?: boolean;
  /** Stop the whole search at the first schedule the depth bound cuts (it cannot be complete). */
  stopAtDepth?: boolean;
  /** Bounded search: stop after the first bound at which a witness of every one of these keys (`violationKey`) was found. */
  until?: ReadonlySet<string>;
  /** DPOR: run the model for every next step whose access it takes from the parent state, and
   *  throw when they differ (the System contract broken). For tests; costs the saving. */
  checkFootprints?: boolean;
}

/**
 * Heap ceiling of a scenario's search unless the caller sets one: far above what the seeds need
 * (~150 MB for a whole document), low enough that a runaway search stops with `memory` and
 * `complete: false` before the process (or the language server's worker) runs out.
 */
export const DEFAULT_MAX_HEAP_BYTES = 1024 * 1024 * 1024;

/**
 * The bounds a caller states for one search, in the caller's words (a scenario's `bounds` has
 * this shape): the explorer owns the type, so it needs to know nothing of scenarios.
 */
export interface SearchBounds {
  /** Context bound of the fallback when the complete search cannot finish (complete.ts). */
  preemptions?: number;
  states: number;
  depth: number;
}

export function optionsFromBounds(b: SearchBounds, extra: SearchOptions = {}): SearchOptions {
  return { maxStates: b.states, maxDepth: b.depth, preemptions: b.preemptions, maxHeapBytes: DEFAULT_MAX_HEAP_BYTES, ...extra };
}

export interface Found {
  rule: string;
  message: string;
  /** See `Violation.key`. */
  key?: string;
  /** The schedule from the initial state; `replay` rebuilds every state along it. */
  trace: ScheduleStep[];
  preemptions: number;
  /** A livelock found on the graph: the index in `trace` where its cycle begins (the lasso's loop runs from there to the end). */
  cycleStart?: number;
}

export interface SearchResult {
  violations: Found[];
  /** True only when the search covered the whole (bounded) space. */
  complete: boolean;
  reason?: StopReason;
  states: number;
  transitions: number;
  ms: number;
}

export const DEFAULT_MAX_STATES = 1_000_000;
const PROGRESS_MS = 100;
const HEAP_MS = 100;

/** Keeps budgets. `tick` is called once per new state and answers why to stop, if it must. */
export class Budget {
  readonly maxStates: number;
  readonly maxDepth: number;
  private readonly every: number;
  private readonly started = Date.now();
  private sinceCheck = 0;
  private lastProgress = 0;
  private lastHeap = -Infinity;
  states = 0;
  transitions = 0;
  stopped: StopReason | undefined;
  /** Some schedule was cut by the depth bound: the search is not complete. */
  depthCut = false;
  bound: number | undefined;

  constructor(private readonly opts: SearchOptions) {
    this.maxStates = opts.maxStates ?? DEFAULT_MAX_STATES;
    this.maxDepth = opts.maxDepth ?? 1000;
    // The clock and the cancel flag are read every 8 new states: cheap next to a state's step
    // (a state costs 0.1-1 ms on a loaded machine), so a budget or a cancel is honoured within
    // a few milliseconds. The heap is read less often (HEAP_MS).
    this.every = Math.max(1, opts.checkEvery ?? 8);
  }

  /** Counts a new state; returns false when the search must stop. */
  tick(): boolean {
    if (this.stopped) return false;
    this.states++;
    if (this.states > this.maxStates) return this.stop('states');
    if (++this.sinceCheck >= this.every) {
      this.sinceCheck = 0;
      if (this.opts.signal?.aborted) return this.stop('cancelled');
      const ms = this.ms();
      if (this.opts.maxMs !== undefined && ms > this.opts.maxMs) return this.stop('time');
      // The heap is read at most every 100 ms, and through v8's heap statistics (the same
      // used_heap_size as process.memoryUsage().heapUsed, which also reads the resident set
      // from the OS: about 25 us a call against under 2 us). A search adds a few MB per 100 ms
      // at most, small next to any budget.
      if (this.opts.maxHeapBytes !== undefined && ms - this.lastHeap >= HEAP_MS) {
        this.lastHeap = ms;
        if (getHeapStatistics().used_heap_size > this.opts.maxHeapBytes) return this.stop('memory');
      }
      // Progress at most every 100 ms: it may cross threads, and a reader needs no more.
      if (this.opts.onProgress && ms - this.lastProgress >= PROGRESS_MS) {
        this.lastProgress = ms;
        this.opts.onProgress({ states: this.states, transitions: this.transitions, ms, bound: this.bound });
      }
    }
    return true;
  }

  /** A schedule reached the depth bound with threads still able to move. */
  cutDepth(): void {
    this.depthCut = true;
    if (this.opts.stopAtDepth) this.stop('depth');
  }

  stop(reason: StopReason): false {
    this.stopped ??= reason;
    return false;
  }

  ms(): number {
    return Date.now() - this.started;
  }

  result(found: Collector): SearchResult {
    const reason = this.stopped ?? (this.depthCut ? 'depth' : undefined);
    const r: SearchResult = { violations: found.list(), complete: reason === undefined, states: this.states, transitions: this.transitions, ms: this.ms() };
    if (reason) r.reason = reason;
    return r;
  }
}

/** One counterexample per key (`violationKey`): the fewest preemptions, then the shortest, then the first found. */
export class Collector {
  private readonly best = new Map<string, Found>();

  /** Whether a trace of this shape would replace the one kept; lets callers skip building it. */
  wants(key: string, preemptions: number, length: number): boolean {
    const b = this.best.get(key);
    return !b || preemptions < b.preemptions || (preemptions === b.preemptions && length < b.trace.length);
  }

  add(f: Found): void {
    if (this.wants(violationKey(f), f.preemptions, f.trace.length)) this.best.set(violationKey(f), f);
  }

  has(key: string): boolean {
    return this.best.has(key);
  }

  list(): Found[] {
    const order = (f: Found) => `${f.rule}\u0000${f.key ?? ''}`;
    return [...this.best.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }
}

import { violationKey, type System, type Violation } from './system';
import type { StateGraph } from './livelock';
import { countPreemptions } from './trace';

/** Everything wrong with one state: its invariants, and deadlock or final invariants when no
 *  thread can move. `enabled` is per thread, in `threads` order. */
export function judge<S>(sys: System<S>, s: S, threads: readonly string[], enabled: readonly boolean[]): Violation[] {
  const out = sys.check(s);
  if (enabled.some((e) => e)) return out;
  const stuck = threads.filter((t) => !sys.done(s, t));
  if (stuck.length) out.push({ rule: 'deadlock', message: `no thread can move; waiting: ${stuck.join(', ')}` });
  else if (sys.checkFinal) for (const v of sys.checkFinal(s)) out.push(v);
  return out;
}

/** Runs the livelock analysis on a finished search's graph and records what it finds. */
export function collectLivelock<S>(sys: System<S>, graph: StateGraph | undefined, found: Collector): void {
  const l = graph?.findLivelock();
  if (!l) return;
  const message = `${l.thread} can loop forever without progress under a fair schedule (cycle from step ${l.cycleStart + 1})`;
  found.add({ rule: 'livelock', message, trace: l.schedule, preemptions: countPreemptions(sys, l.schedule), cycleStart: l.cycleStart });
}
