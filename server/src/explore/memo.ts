/**
 * A system's steps remembered by state key, for the searches of one `complete` run: the
 * exhaustive search and the witness search after it (iterative context bounding) meet the same
 * states, and without this the witness search ran the model again for every step of them (it
 * cost as much as the exhaustive search or more: on seed 002's dio-write-vs-mmap-write, post,
 * 4,990 states against the exhaustive search's 3,914).
 *
 * Sound by the contract of `System` (system.ts): a step is pure and deterministic, and equal keys
 * mean equal futures, so the outcomes of a step from one state stand for those from any state of
 * the same key. The state objects they lead to are then those the first search built: the searches
 * see one representative per key, as their visited sets already do. The judgements of a state
 * (`check`, `checkFinal`) are remembered the same way (a final state's epilogue is a whole run).
 *
 * Limits: only the searches go through it; a replay (a trace for the surfaces) runs the system
 * itself, so every state it shows is the one its own path builds (its step counters, a sequence
 * counter's own value). Memory: every remembered state is kept alive with its steps' outcomes,
 * so at most `maxStates` keys are remembered (the first ones met); past it, steps run as usual.
 * Nothing here may be keyed by a state object that outlives it: an entry holds the states its
 * steps reach, whose own entries would hold theirs, and the whole graph would stay alive.
 */
import type { Footprint, StateKey, StepResult, System, Violation } from './system';

interface Entry<S> {
  /** Per thread, the outcomes of its next step by choice. */
  steps: Map<string, StepResult<S>[]>;
  check?: Violation[];
  final?: Violation[];
}

/**
 * Remembers at most this many states by default: a remembered state keeps the states its steps
 * reach alive. The witness searches of the seeds' scenarios go through their first few thousand
 * states (the exhaustive search's first paths hold the schedules with the fewest preemptions).
 */
export const MEMO_STATES = 4_000;

export class MemoSystem<S> implements System<S> {
  private readonly memo = new Map<StateKey, Entry<S>>();
  readonly observed?: readonly string[];
  readonly commuting?: readonly string[];
  readonly checkFinal?: (s: S) => Violation[];
  readonly pending?: (s: S, t: string) => Footprint | undefined;
  readonly label?: (s: S, t: string) => string;
  readonly yields?: (s: S, t: string) => boolean;

  constructor(readonly inner: System<S>, private readonly maxStates = MEMO_STATES) {
    this.observed = inner.observed;
    this.commuting = inner.commuting;
    const final = inner.checkFinal?.bind(inner);
    if (final) {
      this.checkFinal = (s) => {
        const e = this.entry(s);
        if (!e) return final(s);
        e.final ??= final(s);
        return e.final.slice();
      };
    }
    if (inner.pending) this.pending = inner.pending.bind(inner);
    if (inner.label) this.label = inner.label.bind(inner);
    if (inner.yields) this.yields = inner.yields.bind(inner);
  }

  private entry(s: S): Entry<S> | undefined {
    const k = this.inner.key(s);
    let e = this.memo.get(k);
    if (!e && this.memo.size < this.maxStates) {
      e = { steps: new Map() };
      this.memo.set(k, e);
    }
    return e;
  }

  /** Every outcome of t's next step, computed once per key (choice 0 tells how many there are). */
  private outcomes(s: S, t: string): StepResult<S>[] | undefined {
    const e = this.entry(s);
    if (!e) return undefined;
    let list = e.steps.get(t);
    if (!list) {
      list = [];
      const n = this.inner.choices(s, t);
      for (let c = 0; c < n; c++) list.push(this.inner.step(s, t, c));
      e.steps.set(t, list);
    }
    return list;
  }

  initial(): S { return this.inner.initial(); }
  threads(s: S): readonly string[] { return this.inner.threads(s); }
  enabled(s: S, t: string): boolean { return this.inner.enabled(s, t); }
  done(s: S, t: string): boolean { return this.inner.done(s, t); }
  key(s: S): StateKey { return this.inner.key(s); }

  choices(s: S, t: string): number {
    return this.outcomes(s, t)?.length ?? this.inner.choices(s, t);
  }

  step(s: S, t: string, choice: number): StepResult<S> {
    return this.outcomes(s, t)?.[choice] ?? this.inner.step(s, t, choice);
  }

  check(s: S): Violation[] {
    const e = this.entry(s);
    if (!e) return this.inner.check(s);
    e.check ??= this.inner.check(s);
    return e.check.slice();
  }
}
