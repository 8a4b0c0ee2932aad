/**
 * Intake entry point: text (or bytes) in, document model out. Finds the mail messages, the diff
 * file sections with their hunks, and C code pasted into mail text, then decides the kind:
 * 'mbox' for 2+ messages, 'mail' for one, 'patch' for a bare diff, 'prose' otherwise. Never
 * throws: an unexpected internal error becomes a problem on line 1 and an empty model.
 */
import { findCodeBlocks, type Region } from './codeblocks';
import { decodeDocument } from './decode';
import { parseDiffs } from './diff';
import { splitLines } from './lines';
import { encodedParts } from './encoded';
import { findMessages } from './mail';
import type { DocumentKind, FileDiff, IntakeProblem, MailMessage, PatchDocument } from './document';

export { decodeDocument } from './decode';
export { lineRange } from './lines';
export { hunkAt } from './lookup';

/** Lines outside diffs and mail headers, cut at message boundaries: where pasted code may be. */
function codeRegions(n: number, messages: readonly MailMessage[], files: readonly FileDiff[]): Region[] {
  const spans: { from: number; to: number; message: number }[] = [];
  if (messages.length === 0) spans.push({ from: 0, to: n - 1, message: -1 });
  messages.forEach((m, k) => spans.push({ from: m.bodyLine, to: m.range.end.line, message: k }));
  const regions: Region[] = [];
  let f = 0;
  for (const s of spans) {
    let from = s.from;
    while (f < files.length && files[f]!.range.end.line < from) f++;
    let g = f;
    while (from <= s.to) {
      const file = files[g];
      if (!file || file.range.start.line > s.to) { regions.push({ from, to: s.to, message: s.message }); break; }
      if (file.range.start.line > from) regions.push({ from, to: file.range.start.line - 1, message: s.message });
      from = Math.max(from, file.range.end.line + 1);
      g++;
    }
  }
  return regions;
}

function kindOf(messages: number, files: number): DocumentKind {
  if (messages >= 2) return 'mbox';
  if (messages === 1) return 'mail';
  return files > 0 ? 'patch' : 'prose';
}

/** Reads a patch, mail, mbox or prose text. Never throws: problems are in the result. */
export function parseDocument(text: string, path: string): PatchDocument {
  const lines = splitLines(text);
  try {
    const problems: IntakeProblem[] = [];
    const messages = findMessages(lines);
    const files = parseDiffs(lines, messages.map((m) => m.range.start.line), messages.map((m) => m.range.end.line), problems);
    const codeBlocks = findCodeBlocks(lines, codeRegions(lines.length, messages, files));
    problems.push(...encodedParts(lines, messages));
    problems.sort((a, b) => a.range.start.line - b.range.start.line);
    return { path, kind: kindOf(messages.length, files.length), lines, messages, files, codeBlocks, problems };
  } catch (e) {
    const message = `internal error while reading the document: ${e instanceof Error ? e.message : String(e)}`;
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { path, kind: 'prose', lines, messages: [], files: [], codeBlocks: [], problems: [{ message, severity: 'error', range }] };
  }
}

/** Decodes bytes (see decodeDocument) and parses them; decoding problems come first. */
export function readDocument(bytes: Uint8Array, path: string): PatchDocument {
  const { text, problems } = decodeDocument(bytes);
  const doc = parseDocument(text, path);
  doc.problems = [...problems, ...doc.problems];
  return doc;
}
