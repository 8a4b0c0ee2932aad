/**
 * What the DPOR search (dpor.ts) keeps per state on its stack, per step on its path and per
 * visited state, and the small operations on them. Threads are numbered by their place in
 * `System.threads`.
 */
import type { StateKey, StepResult } from './system';
import type { Access } from './access';

export interface Succ<S> {
  results: StepResult<S>[];
  acc: Access[];
}

/**
 * A sleep set by thread index: the access of each sleeping thread's next step, undefined for one
 * awake. Most states have none: they share `awake` instead of an array of their own.
 */
export type Sleep = readonly (Access | undefined)[];

/**
 * A state on the search's stack. Threads are numbered by their place in `System.threads`; the
 * small sets (enabled, to explore, explored) are arrays by that number or short lists of them,
 * which cost a state far less to build than Sets and Maps (DPOR's share of a step's allocation).
 */
export interface Frame<S> {
  state: S;
  key: StateKey;
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
  refs: Set<StateKey> | undefined;
  /** A cycle closed through this state: siblings no longer put each other to sleep. */
  cyclic: boolean;
}

export interface Step {
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
export interface Arrival {
  id: number;
  ti: number;
  choice: number;
  progress: boolean;
  acc: Access;
}

/** Per thread index, a union of accesses (undefined: no step of that thread). */
export type Summary = (Access | undefined)[];

/**
 * What the search keeps per visited state: its number in the graph and, once explored in full,
 * the sleep set it was explored under (thread indices) and its summary. Kept small (a search
 * holds one per state): summaries are interned, so states with the same future footprints share
 * one array, and empty sleep sets and references are left out.
 */
export interface Visited {
  id: number;
  /** Set when the state was explored in full. */
  summary?: Summary;
  sleep?: readonly number[];
  refs?: readonly StateKey[];
}

export const NONE: readonly never[] = [];

/** Whether every thread of a sleeps in b. */
export function subset(a: readonly number[], b: Sleep): boolean {
  for (const x of a) if (b[x] === undefined) return false;
  return true;
}

/** Whether two summaries hold the same access for every thread. */
export function sameSummary(a: Summary, b: Summary): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds x to a short list of thread indices unless it is there. */
export function addTo(list: number[], x: number): void {
  if (!list.includes(x)) list.push(x);
}

/** The first thread to backtrack to that was neither explored here nor asleep (-1: none). */
export function nextToExplore<S>(f: Frame<S>): number {
  for (const x of f.backtrack) if (!f.done.includes(x) && f.sleep[x] === undefined) return x;
  return -1;
}
