/**
 * A finding's message as every surface shows it (JSON, text, SARIF, the editor). The engine
 * writes no line numbers into messages: a race finding's window is data (`Finding.window`, its
 * ranges already mapped to the document), and its sentence is written here, 1-based, once.
 */
import type { Finding, RaceWindow } from '../findings';
import type { HunkPlacement } from '../functions/patch-function';
import type { Range } from '../intake/document';

function linesOf(r: Range): string {
  return r.start.line === r.end.line ? `line ${r.start.line + 1}` : `lines ${r.start.line + 1}-${r.end.line + 1}`;
}

/** Who gets in where, between which two steps of the victim. */
export function windowSentence(w: RaceWindow): string {
  const i = w.interferer;
  const where = i.range ? `line ${i.range.start.line + 1}` : i.modelFile !== undefined ? `${i.modelFile}:${(i.modelLine ?? 0) + 1}` : '';
  return `It breaks when ${i.thread} gets in (${i.function}()${where ? ` at ${where}` : ''}) between ${w.thread}'s steps at ${linesOf(w.from)} and ${linesOf(w.to)}.`;
}

/** The message, with the race window's sentence after it when the finding has one. */
export function shownMessage(f: Finding): string {
  return f.window ? `${f.message} ${windowSentence(f.window)}` : f.message;
}

/** Why a hunk was not placed, with the line it names (the engine keeps that line as data). */
export function placementWhy(p: HunkPlacement): string | undefined {
  if (p.why === undefined) return undefined;
  return p.whyAt ? `${p.why} (line ${p.whyAt.line + 1})` : p.why;
}
