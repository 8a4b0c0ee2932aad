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
import { decodeParts, type DecodedPartText } from './encoded';
import { findMessages } from './mail';
import type { DecodedPart, DecodedParts, DocumentKind, FileDiff, IntakeProblem, MailMessage, PatchDocument } from './document';
import { appendAll } from '../arrays';

export { decodeDocument } from './decode';
export { lineRange } from './lines';
export { hunkAt } from './lookup';

interface Span { from: number; to: number; message: number }

/** Lines outside diffs and mail headers, cut at message boundaries: where pasted code may be. */
function codeRegions(n: number, messages: readonly MailMessage[], files: readonly FileDiff[], decoded: readonly DecodedPart[]): Region[] {
  const spans: Span[] = [];
  if (messages.length === 0) spans.push({ from: 0, to: n - 1, message: -1 });
  messages.forEach((m, k) => spans.push({ from: m.bodyLine, to: m.range.end.line, message: k }));
  // Decoded parts follow the document's own lines, in order: each is a span of its message.
  for (const p of decoded) spans.push({ from: p.first, to: p.first + p.count - 1, message: p.message });
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

/**
 * The lines intake reads: the document's own, with the encoded bodies of decoded parts blanked
 * (their base64 or escaped text is not a patch and must not be read twice), then each part's
 * decoded text. Returns the lines the document keeps (its own, then the decoded text) too.
 */
function withDecoded(lines: string[], decoded: readonly DecodedPartText[]): { scan: string[]; kept: string[]; parts: DecodedParts } {
  const scan = lines.slice();
  const kept = lines.slice();
  const parts: DecodedPart[] = [];
  for (const { part, text } of decoded) {
    for (let i = part.from; i <= part.to; i++) scan[i] = '';
    const d: DecodedPart = {
      encoding: part.encoding, header: part.header, contentType: part.contentType, charset: part.charset,
      message: part.message, first: scan.length, count: text.lines.length, body: { from: part.from, to: part.to },
    };
    if (part.name !== undefined) d.name = part.name;
    if (text.origins) d.origins = text.origins;
    parts.push(d);
    for (const l of text.lines) { scan.push(l); kept.push(l); }
  }
  return { scan, kept, parts: { documentLines: lines.length, parts } };
}

/** Reads a patch, mail, mbox or prose text. Never throws: problems are in the result. */
export function parseDocument(text: string, path: string): PatchDocument {
  const lines = splitLines(text);
  try {
    const problems: IntakeProblem[] = [];
    const messages = findMessages(lines);
    const encoded = decodeParts(lines, messages);
    appendAll(problems, encoded.problems);
    if (encoded.decoded.length === 0) {
      const files = parseDiffs(lines, messages.map((m) => m.range.start.line), messages.map((m) => m.range.end.line), problems);
      const codeBlocks = findCodeBlocks(lines, codeRegions(lines.length, messages, files, []));
      problems.sort((a, b) => a.range.start.line - b.range.start.line);
      return { path, kind: kindOf(messages.length, files.length), lines, messages, files, codeBlocks, problems };
    }
    const { scan, kept, parts } = withDecoded(lines, encoded.decoded);
    // Each decoded part is read as its own span so that a diff never runs from one into the next.
    const starts = [...messages.map((m) => m.range.start.line), ...parts.parts.map((p) => p.first)];
    const ends = [...messages.map((m) => m.range.end.line), ...parts.parts.map((p) => p.first + p.count - 1)];
    const files = parseDiffs(scan, starts, ends, problems);
    for (const f of files) if (f.message >= messages.length) f.message = parts.parts[f.message - messages.length]!.message;
    const codeBlocks = findCodeBlocks(scan, codeRegions(lines.length, messages, files, parts.parts));
    problems.sort((a, b) => a.range.start.line - b.range.start.line);
    return { path, kind: kindOf(messages.length, files.length), lines: kept, messages, files, codeBlocks, problems, decoded: parts };
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
