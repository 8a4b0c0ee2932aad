/**
 * A race window read off a finding: the document range it spans, the step of the trace where the
 * interferer gets in, and the state changes the interferer makes before the victim runs again.
 * Shared by diagnostics (range, related information) and hovers (the steps shown).
 */
import type { Range } from 'vscode-languageserver/node';
import type { Finding, RaceWindow, TraceStep } from '../findings';

/** From the window's first program point to its last, whichever order they come in the document. */
export function windowRange(w: RaceWindow): Range {
  const first = w.from.start.line <= w.to.start.line ? w.from : w.to;
  const last = first === w.from ? w.to : w.from;
  return { start: first.start, end: last.end };
}

/**
 * The 0-based step where the window opens: the interferer's first step after a step of the
 * victim (its first step at all when the victim has none before it).
 */
export function windowStep(f: Finding): number {
  const trace = f.trace ?? [];
  const w = f.window;
  if (!w) return 0;
  const victimSeen = trace.findIndex((s) => s.thread === w.thread);
  const after = trace.findIndex((s, i) => i > victimSeen && victimSeen >= 0 && s.thread === w.interferer.thread);
  const first = after >= 0 ? after : trace.findIndex((s) => s.thread === w.interferer.thread);
  return Math.max(0, first);
}

/** Most state changes of the interferer a diagnostic points at: the related list stays short. */
export const MAX_CHANGES = 2;

/** The interferer's steps that changed state between the window's opening and the victim's next step, at most `max`. */
export function interfererChanges(f: Finding, max = MAX_CHANGES): TraceStep[] {
  const trace = f.trace ?? [];
  const w = f.window;
  if (!w || trace.length === 0) return [];
  const out: TraceStep[] = [];
  for (let i = windowStep(f); i < trace.length && trace[i]!.thread !== w.thread && out.length < max; i++) {
    const step = trace[i]!;
    if (step.thread === w.interferer.thread && step.effect !== '') out.push(step);
  }
  return out;
}

/**
 * The victim's two steps around the interferer's in the trace: `a` where it was when the
 * interferer got in, `b` where it ran next. These are where the victim actually was, in the patch
 * or in the model library (e.g. asleep inside `filemap_write_and_wait`), while the window's
 * `from`/`to` are the patch statements standing for them. Undefined when the trace does not show
 * the interferer between two victim steps (a trace cut short, an old finding).
 */
export function victimGap(f: Finding): { a: number; b: number } | undefined {
  const trace = f.trace ?? [];
  const w = f.window;
  if (!w) return undefined;
  const i = w.interferer;
  const same = (s: TraceStep) => s.thread === i.thread && s.function === i.function &&
    (i.range ? s.range?.start.line === i.range.start.line : s.modelFile === i.modelFile && s.modelLine === i.modelLine);
  // A patch step of the victim must be the window's own point; a model step stands behind one.
  const fits = (s: TraceStep, r: Range) => s.source === 'model' || s.range?.start.line === r.start.line;
  let fallback: { a: number; b: number } | undefined;
  for (let k = trace.length - 1; k >= 0; k--) {
    if (!same(trace[k]!)) continue;
    let a = k - 1;
    while (a >= 0 && trace[a]!.thread !== w.thread) a--;
    let b = k + 1;
    while (b < trace.length && trace[b]!.thread !== w.thread) b++;
    if (a < 0 || b >= trace.length) continue;
    if (fits(trace[a]!, w.from) && fits(trace[b]!, w.to)) return { a, b };
    fallback ??= { a, b };
  }
  return fallback;
}
