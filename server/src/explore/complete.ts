/**
 * The default search of a scenario (DESIGN section 7): complete first, bounded for witnesses, and
 * bounded again only as the fallback when the complete search cannot finish.
 *
 * 1. An exhaustive search with no preemption bound (DPOR by default, or plain DFS) decides which
 *    rules break at all. It stops at the first schedule the depth bound cuts: such a space is
 *    not finite within the bounds, and its states are better spent on the fallback.
 * 2. For the rules it found, iterative context bounding (bounded.ts) finds each one's witness
 *    with the fewest preemptions, stopping at the first bound that has them all (`until`). The
 *    exhaustive search's own witness is kept for a rule the bounded search does not meet within
 *    the budget (a livelock whose fair cycle the bounded graph lacks): it is real, just maybe
 *    not minimal.
 * 3. When the exhaustive search runs out of states, memory or depth, iterative context bounding
 *    up to `preemptions` (default FALLBACK_BOUND) runs on the rest of the budget, and the result
 *    says `exhaustive: false, bound: k`. What the cut exhaustive search found is kept too: its
 *    traces are real. Cancelled or out of time: nothing more runs.
 *
 * Budgets are split so that a fallback always has some left: the exhaustive phase gets at most
 * three quarters of `maxStates` and half of `maxMs`, the fallback what remains; `states` is the
 * exhaustive phase's count plus the fallback's, so it stays within `maxStates` (+1). The witness
 * search is not counted: it re-visits states the exhaustive search counted, and takes their
 * steps' outcomes from it instead of running them again (memo.ts).
 */
import { bounded } from './bounded';
import { dfs } from './dfs';
import { dpor } from './dpor';
import { MemoSystem } from './memo';
import { Collector, DEFAULT_MAX_STATES, type SearchOptions, type SearchResult } from './search';
import { violationKey, type System } from './system';

/** Preemptions of the fallback when the scenario names no bound. */
export const FALLBACK_BOUND = 2;

export type Engine = 'dpor' | 'dfs';

export interface CompleteResult extends SearchResult {
  /** The whole space was searched with no preemption bound. */
  exhaustive: boolean;
  /** When not exhaustive: the preemption bound the fallback searched within. */
  bound?: number;
}

export function complete<S>(system: System<S>, opts: SearchOptions & { engine?: Engine } = {}): CompleteResult {
  // Both phases meet the same states: their steps are run once (memo.ts).
  const sys = new MemoSystem(system);
  const started = Date.now();
  const left = () => (opts.maxMs === undefined ? undefined : Math.max(1, opts.maxMs - (Date.now() - started)));
  const maxStates = opts.maxStates ?? DEFAULT_MAX_STATES;
  const full = (opts.engine === 'dfs' ? dfs : dpor)(sys, {
    ...opts, preemptions: undefined, stopAtDepth: true, maxStates: Math.floor(maxStates * 0.75),
    maxMs: opts.maxMs === undefined ? undefined : opts.maxMs / 2,
  });
  const found = new Collector();
  if (full.complete) {
    for (const v of full.violations) found.add(v);
    if (full.violations.length > 0) {
      const limit = full.violations.reduce((m, v) => Math.max(m, v.preemptions), 0);
      const w = bounded(sys, { ...opts, preemptions: limit, until: new Set(full.violations.map(violationKey)), maxStates, maxMs: left() });
      for (const v of w.violations) found.add(v);
    }
    return { ...full, violations: found.list(), ms: Date.now() - started, exhaustive: true };
  }
  if (full.reason === 'cancelled') {
    return { ...full, ms: Date.now() - started, exhaustive: false };
  }
  const rest = maxStates - full.states;
  if (rest < 1) return { ...full, ms: Date.now() - started, exhaustive: false };
  const fb = bounded(sys, { ...opts, preemptions: opts.preemptions ?? FALLBACK_BOUND, maxStates: rest, maxMs: left() });
  for (const v of [...full.violations, ...fb.violations]) found.add(v);
  const r: CompleteResult = {
    violations: found.list(), complete: fb.complete, states: full.states + fb.states, transitions: full.transitions + fb.transitions,
    ms: Date.now() - started, exhaustive: fb.exhaustive && fb.complete,
  };
  // The fallback may still have covered everything (no schedule needed more preemptions).
  if (!r.exhaustive) r.bound = fb.bound;
  if (fb.reason) r.reason = fb.reason;
  return r;
}
