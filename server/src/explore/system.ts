/**
 * The explorer's view of the world: a transition system of threads (DESIGN section 7). The
 * explorer knows nothing of pages or kernels; the page-cache model is plugged in by an adapter
 * that implements `System`. Everything here is small on purpose so that adapter stays thin.
 *
 * Contract the searches rely on (an adapter that breaks it makes the reduction unsound):
 * - `step` is pure: it never mutates its input state, and the same (state, thread, choice) always
 *   gives the same result. Traces are rebuilt by replaying choices, so nothing may be random.
 * - `threads(s)` returns the same ids in the same order for every state of one system; a thread
 *   that has not started or has finished is simply not enabled.
 * - `done(s, t)` implies `!enabled(s, t)`.
 * - a footprint names every object the step reads (including what decides whether it may run or
 *   which choice it takes) and every object it writes. A thread's pending step must not change
 *   while other threads take steps independent of it.
 */

/** The shared objects a step touches, by id ("page:3", "lock:i_sem", ...). */
export interface Footprint {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

export interface StepResult<S> {
  state: S;
  footprint: Footprint;
  /** The thread got somewhere (finished an operation); a retry or a spin is not progress. */
  progress: boolean;
}

export interface Violation {
  rule: string;
  message: string;
  /** What counts as one counterexample (default: the rule). A search keeps one witness per key,
   *  so a system that tells several causes of one rule apart gives each cause its own key. */
  key?: string;
}

/** The class of counterexample a violation belongs to: one witness is kept per key. */
export function violationKey(v: Violation): string {
  return v.key ?? v.rule;
}

/**
 * A state's key: a canonical text, or a number the system gives equal states alone (interned by
 * the system: searches keep a few maps by key, and a small integer is hashed and compared without
 * reading a string from the heap).
 */
export type StateKey = string | number;

export interface System<S> {
  initial(): S;
  threads(s: S): readonly string[];
  enabled(s: S, t: string): boolean;
  done(s: S, t: string): boolean;
  /** Number of nondeterministic outcomes of t's next step (>= 1). */
  choices(s: S, t: string): number;
  step(s: S, t: string, choice: number): StepResult<S>;
  /** The state's key for the visited sets: equal keys mean equal futures. */
  key(s: S): StateKey;
  /** State invariants, checked on every state reached. */
  check(s: S): Violation[];
  /** Invariants on final states (every thread done). */
  checkFinal?(s: S): Violation[];
  /**
   * Objects that `check`/`checkFinal` read. Steps writing any of them are "visible": partial-order
   * reduction keeps the order of visible steps, so invariants judge the same states. An entry
   * `kind:*` observes every object `kind:...`. Absent means every write is visible (sound, less
   * reduction).
   */
  observed?: readonly string[];
  /**
   * Objects whose writes by two steps commute with each other, though not with a read: the
   * membership of a keyed collection, which a step writes when it adds or removes a key (and
   * `kind:key` for the entry). Adding or removing two different keys gives the same set in
   * either order; a step that enumerates the collection reads its membership and stays
   * dependent on both. Only sound when enumeration order is not state (the system's key and its
   * steps must not depend on the order keys were added).
   */
  commuting?: readonly string[];
  /** Footprint of a disabled thread's pending step (what it waits for). Absent: the explorer
   *  treats a blocked thread as dependent on every step (sound, less reduction). */
  pending?(s: S, t: string): Footprint | undefined;
  /** Short text for a thread's next step, for traces. */
  label?(s: S, t: string): string;
  /**
   * t stands at a voluntary scheduling point (a repeating thread between two rounds): switching
   * away from it there is not a preemption. Absent: no such points.
   */
  yields?(s: S, t: string): boolean;
}

/** One scheduling decision: which thread ran and which of its outcomes it took. */
export interface ScheduleStep {
  thread: string;
  choice: number;
}
