/**
 * Positions in decoded mail parts, back to the document. Intake appends the decoded text of a
 * base64 or quoted-printable part after the document's own lines (types.ts `DecodedParts`), so
 * the engine reads it like any text; what leaves for a surface (findings, scenario runs, the
 * document outline, hunks, function ranges) must lie in the document the editor shows. The rule:
 *
 * - quoted-printable: a decoded character sits where it was written (its `=XX` escape or literal
 *   character, across soft line breaks), so a finding lands on the part's own line and column;
 * - base64: the encoded lines hold no line of the decoded text, so a position there sits on the
 *   part's Content-Transfer-Encoding line (the whole line), and the finding names the decoded
 *   line it is about as data (`namedLine`), which the surfaces word ("decoded line 42 of
 *   attachment fix.patch").
 *
 * Every mapped position is clamped to the document. With nothing decoded every function here
 * returns its input as it is.
 */
import { partLabel } from './encoded';
import type { DecodedPart, PatchDocument, Position, Range } from './document';

/** The decoded part holding `line` of `doc.lines`, or undefined for a document line. */
function partOf(doc: PatchDocument, line: number): DecodedPart | undefined {
  const d = doc.decoded;
  if (!d || line < d.documentLines) return undefined;
  let lo = 0;
  let hi = d.parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d.parts[mid]!.first <= line) lo = mid; else hi = mid - 1;
  }
  return d.parts[lo];
}

const lineLength = (doc: PatchDocument, line: number): number => (doc.lines[line] ?? '').length;

/** A position of `doc.lines` as a position of the document (see the rule above). */
export function documentPosition(doc: PatchDocument, p: Position): Position {
  const d = doc.decoded;
  if (!d || p.line < d.documentLines) return p;
  const part = partOf(doc, p.line);
  if (!part) return { line: Math.max(0, d.documentLines - 1), character: 0 };
  const bp = part.origins?.[p.line - part.first];
  if (!bp || bp.length < 3) return { line: part.header, character: 0 };
  let k = 0;
  while (k + 3 < bp.length && bp[k + 3]! <= p.character) k += 3;
  const line = bp[k + 1]!;
  const character = Math.max(0, Math.min(bp[k + 2]! + (p.character - bp[k]!), lineLength(doc, line)));
  return { line, character };
}

/** The base64 part and decoded line (0-based) a range starts in, when it does. */
export function base64Origin(doc: PatchDocument, r: Range): { part: DecodedPart; line: number } | undefined {
  const part = partOf(doc, r.start.line);
  return part && part.encoding === 'base64' ? { part, line: r.start.line - part.first } : undefined;
}

/** A range of `doc.lines` as a range of the document; a base64 range covers the part's header line. */
export function documentRange(doc: PatchDocument, r: Range): Range {
  const d = doc.decoded;
  if (!d || (r.start.line < d.documentLines && r.end.line < d.documentLines)) return r;
  const b = base64Origin(doc, r);
  if (b) return { start: { line: b.part.header, character: 0 }, end: { line: b.part.header, character: lineLength(doc, b.part.header) } };
  const start = documentPosition(doc, r.start);
  let end = documentPosition(doc, r.end);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = { line: start.line, character: lineLength(doc, start.line) };
  return { start, end };
}

const isPosition = (o: unknown): o is Position =>
  typeof o === 'object' && o !== null && typeof (o as Position).line === 'number' && typeof (o as Position).character === 'number';
const isRange = (o: unknown): o is Range => typeof o === 'object' && o !== null && isPosition((o as Range).start) && isPosition((o as Range).end);

/**
 * A copy of `value` (findings, scenario runs: plain data) with every range mapped to the document.
 * An object with a `message` and a `range` in a base64 part names its decoded line as data
 * (`namedLine`, 0-based, with the part's label), which the surfaces word beside the message
 * (report/finding-message.ts): that line has no document position of its own. Objects are copied, never changed: the engine's own ranges may be shared with them.
 */
export function toDocument<T>(doc: PatchDocument, value: T): T {
  if (!doc.decoded) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    if (isRange(v)) return documentRange(doc, v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    const o = v as { message?: unknown; range?: unknown };
    if (typeof o.message === 'string' && isRange(o.range)) {
      const b = base64Origin(doc, o.range);
      if (b) out.namedLine = { line: b.line, part: partLabel(b.part) };
    }
    return out;
  };
  return walk(value) as T;
}

/** The document as surfaces see it: its own lines, with every position of its structure mapped. */
export function surfaceDocument(doc: PatchDocument): PatchDocument {
  const d = doc.decoded;
  if (!d) return doc;
  const line = (l: number): number => documentPosition(doc, { line: l, character: 0 }).line;
  const range = (r: Range): Range => documentRange(doc, r);
  return {
    ...doc,
    lines: doc.lines.slice(0, d.documentLines),
    files: doc.files.map((f) => ({
      ...f, line: line(f.line), range: range(f.range),
      hunks: f.hunks.map((h) => ({ ...h, line: line(h.line), range: range(h.range), lines: h.lines.map((x) => ({ ...x, line: line(x.line) })) })),
    })),
    codeBlocks: doc.codeBlocks.map((b) => ({ ...b, range: range(b.range), lines: b.lines.map((x) => ({ text: x.text, ...documentPosition(doc, { line: x.line, character: x.character }) })) })),
    problems: toDocument(doc, doc.problems),
  };
}

/** What surfaceFunctions maps of a function (functions/patch-function.ts `PatchFunction`). */
interface FunctionPlaces {
  range: Range;
  pre?: { c: { map: Position[] } };
  post?: { c: { map: Position[] } };
  /** A hunk's placement names the line its reason is about (`HunkPlacement.whyAt`). */
  hunks?: { placement?: { whyAt?: Position } }[];
}

/**
 * The functions as surfaces see them: ranges and C line maps mapped to the document. Typed by
 * shape so that intake does not import the functions folder (which imports intake).
 */
export function surfaceFunctions<F extends FunctionPlaces>(doc: PatchDocument, fns: F[]): F[] {
  if (!doc.decoded) return fns;
  const side = <S extends { c: { map: Position[] } }>(s: S): S => ({
    ...s, c: { ...s.c, map: s.c.map.map((m) => (m.line < 0 ? m : documentPosition(doc, m))) },
  });
  return fns.map((f) => {
    const out: F = { ...f, range: documentRange(doc, f.range) };
    if (f.pre) out.pre = side(f.pre);
    if (f.post) out.post = side(f.post);
    if (f.hunks?.some((h) => h.placement?.whyAt)) {
      out.hunks = f.hunks.map((h) => (h.placement?.whyAt ? { ...h, placement: { ...h.placement, whyAt: documentPosition(doc, h.placement.whyAt) } } : h));
    }
    return out;
  });
}
