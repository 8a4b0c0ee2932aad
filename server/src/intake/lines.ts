/**
 * Line splitting and range helpers for the document model. Lines are split the way LSP clients
 * count them (CRLF, LF or a lone CR ends a line), so a 0-based line here is an LSP line.
 */
import type { PatchDocument, Range } from './document';

/** Splits text into lines without their line ends; a trailing line end yields a final empty line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Range covering the whole of `line` (start of line to its last character). */
export function lineSpan(lines: readonly string[], line: number): Range {
  const l = Math.max(0, Math.min(line, lines.length - 1));
  return { start: { line: l, character: 0 }, end: { line: l, character: (lines[l] ?? '').length } };
}

/** Range from the start of line `from` to the end of line `to`. */
export function linesSpan(lines: readonly string[], from: number, to: number): Range {
  return { start: lineSpan(lines, from).start, end: lineSpan(lines, Math.max(from, to)).end };
}

/** Range covering document line `line` (clamped to the document). */
export function lineRange(doc: PatchDocument, line: number): Range {
  return lineSpan(doc.lines, line);
}
