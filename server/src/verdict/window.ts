/**
 * The race window of a violation (DESIGN section 8): the victim thread's two consecutive program
 * points between which other threads' steps ran, the nearest such pair at or before the step where
 * the rule broke, mapped to document lines; and the interfering thread's step nearest before the
 * victim's second point (its function and line, in the patch or in the model library).
 *
 * Victim: the thread whose step broke the rule; for rules judged on the final state (or after the
 * epilogue), the scenario thread with the nearest interleaved pair. Lines come from the side that
 * ran (the lowering maps post code to '+' and context lines, pre code to '-' and context lines).
 * When a victim point lies in model code, the nearest step of the victim in patch code stands for
 * it, else `fallback` (the first changed line of the function). Limits: pseudo-threads (I/O
 * completions) are never victims; a run with no interleaving before the violation has no window.
 */
import type { RaceWindow } from '../findings';
import type { Range } from '../intake/document';
import type { RunStep } from './scenario-run';

/** The step index pair (a, b) of the victim with others' steps between, nearest at or before `upTo`. */
function gapOf(steps: readonly RunStep[], victim: string, upTo: number, by?: readonly string[]): { a: number; b: number } | undefined {
  let b = -1;
  for (let i = Math.min(upTo, steps.length - 1); i >= 0; i--) {
    if (steps[i].thread !== victim) continue;
    if (b >= 0 && b - i > 1 && (!by || steps.slice(i + 1, b).some((s) => by.includes(s.thread)))) return { a: i, b };
    b = i;
  }
  return undefined;
}

/** The document range standing for step `i` of the victim: its own, else its nearest patch step. */
function patchRange(steps: readonly RunStep[], victim: string, i: number, dir: -1 | 1): Range | undefined {
  if (steps[i]?.range) return steps[i].range;
  for (let d = 1; d < steps.length; d++) {
    for (const j of [i + d * dir, i - d * dir]) {
      const s = steps[j];
      if (s && s.thread === victim && s.range) return s.range;
    }
  }
  return undefined;
}

export interface WindowResult {
  window?: RaceWindow;
  /** Where the finding points: the window's lines, else the breaking step's, else the fallback. */
  range: Range;
  victim?: string;
}

/**
 * The window of a violation seen after step `at`, on a run of `threads` (the scenario's threads,
 * the candidates for victim); `raisedBy` is the thread whose step broke the rule, when one did.
 */
export function raceWindow(steps: readonly RunStep[], at: number, raisedBy: string | undefined, threads: readonly string[], fallback: Range): WindowResult {
  const candidates = raisedBy && threads.includes(raisedBy) ? [raisedBy] : threads;
  let best: { victim: string; a: number; b: number } | undefined;
  // Prefer a window that another scenario thread got into over one only an I/O completion did.
  for (const by of [threads, undefined]) {
    for (const v of candidates) {
      const g = gapOf(steps, v, at, by);
      if (g && (!best || g.b > best.b)) best = { victim: v, ...g };
    }
    if (best) break;
  }
  if (!best) {
    const own = at >= 0 ? patchRange(steps, steps[at]?.thread ?? '', at, -1) : undefined;
    return { range: own ?? fallback, victim: raisedBy };
  }
  const { victim, a, b } = best;
  const from = patchRange(steps, victim, a, -1) ?? fallback;
  const to = patchRange(steps, victim, b, 1) ?? from;
  const inter = steps.slice(a + 1, b).reverse().find((s) => threads.includes(s.thread)) ?? steps[b - 1];
  const interferer: RaceWindow['interferer'] = { thread: inter.thread, function: inter.function, source: inter.source };
  if (inter.range) interferer.range = inter.range;
  if (inter.modelFile !== undefined) { interferer.modelFile = inter.modelFile; interferer.modelLine = inter.modelLine; }
  const first = from.start.line <= to.start.line ? from : to;
  const last = first === from ? to : from;
  return { window: { from, to, thread: victim, interferer }, range: { start: first.start, end: last.end }, victim };
}
