/**
 * A finding's message as every surface shows it (JSON, text, SARIF, the editor). The engine
 * writes no line numbers into messages: a race finding's window is data (`Finding.window`, its
 * ranges already mapped to the document), a line a message is about is data (`namedLine`: a
 * document line, or a decoded base64 part's line, which has no document position), and their
 * words are written here, 1-based, once.
 */
import type { Finding, RaceWindow } from '../findings';
import type { HunkPlacement } from '../functions/patch-function';
import type { NamedLine, Range } from '../intake/document';

function linesOf(r: Range): string {
  return r.start.line === r.end.line ? `line ${r.start.line + 1}` : `lines ${r.start.line + 1}-${r.end.line + 1}`;
}

/** Who gets in where, between which two steps of the victim. */
export function windowSentence(w: RaceWindow): string {
  const i = w.interferer;
  const where = i.range ? `line ${i.range.start.line + 1}` : i.modelFile !== undefined ? `${i.modelFile}:${(i.modelLine ?? 0) + 1}` : '';
  return `It breaks when ${i.thread} gets in (${i.function}()${where ? ` at ${where}` : ''}) between ${w.thread}'s steps at ${linesOf(w.from)} and ${linesOf(w.to)}.`;
}

/** A message with the line it names after it, when it names one (a finding's, or a related place's). */
export function withNamedLine(o: { message: string; namedLine?: NamedLine }): string {
  const n = o.namedLine;
  if (!n) return o.message;
  return n.part !== undefined ? `${o.message} (decoded line ${n.line + 1} of ${n.part})` : `${o.message} (line ${n.line + 1})`;
}

/** The message, with the line it names and the race window's sentence after it when the finding has them. */
export function shownMessage(f: Finding): string {
  const m = withNamedLine(f);
  return f.window ? `${m} ${windowSentence(f.window)}` : m;
}

/** Why a hunk was not placed, with the line it names (the engine keeps that line as data). */
export function placementWhy(p: HunkPlacement): string | undefined {
  if (p.why === undefined) return undefined;
  return p.whyAt ? `${p.why} (line ${p.whyAt.line + 1})` : p.why;
}
