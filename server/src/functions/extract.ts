/**
 * Pre and post bodies of every function a document touches (DESIGN section 4).
 *
 * Which function a hunk touches comes from the code (pieces.ts). A hunk that starts inside a
 * definition continues the previous hunk's open definition in the same file, unless the `@@`
 * section hint names another function; when there is no previous one, the hint is used as a last
 * resort and only when it reads `identifier(`. A change made only to comments or blank lines
 * touches no function: seed-style hunks that edit the comment above a definition yield nothing,
 * because the code the model would run is the same before and after.
 *
 * Bodies are 'patch' when the hunks hold the definition from signature to closing brace with no
 * lines missing between them; otherwise the library splice is tried (`spliceIntoLibrary`, a seam
 * that another part of the engine fills) and the body is a 'fragment' when that fails. Code
 * pasted into a mail yields 'present' post bodies.
 */
import type { CodeBlock, Hunk, IntakeProblem, PatchDocument, Range } from '../intake/types';
import { findPieces, hintName, type Piece, type SideLine } from './pieces';
import type { CText, FunctionSide, PatchFunction, PostOrigin, PreOrigin } from './types';

type Side = 'pre' | 'post';

interface Segment {
  hunk: number;
  lines: SideLine[];
  piece: Piece;
  /** Lines of the file are missing between the previous segment and this one. */
  gap: boolean;
}

interface Chain {
  name?: string;
  /** The name was read from a signature in the hunks (not from a hint). */
  namedByCode: boolean;
  segments: Segment[];
}

/**
 * The seam where hunks of a function that the patch does not hold whole are spliced into the
 * model library's body of that function (DESIGN section 4, step 2). Not implemented yet: always
 * undefined, so such bodies stay fragments.
 */
export function spliceIntoLibrary(
  name: string, file: string, side: Side, hunkText: CText,
): { side: FunctionSide; era: string } | undefined {
  void name; void file; void side; void hunkText;
  return undefined;
}

/** Builds a CText from lines that carry their document position. */
export function ctextFromLines(lines: { text: string; line: number; character: number }[], gaps: number[] = []): CText {
  const c: CText = {
    text: lines.map((l) => l.text).join('\n') + '\n',
    map: lines.map((l) => ({ line: l.line, character: l.character })),
    source: { kind: 'document' },
  };
  if (gaps.length) c.segments = gaps;
  return c;
}

function sideLines(h: Hunk, side: Side): SideLine[] {
  const out: SideLine[] = [];
  for (const l of h.lines) {
    if (l.kind === ' ' || l.kind === (side === 'pre' ? '-' : '+')) {
      out.push({ text: l.text, line: l.line, character: 1, changed: l.kind !== ' ' });
    }
  }
  return out;
}

/** First file line after the hunk's side, to tell whether the next hunk follows with no gap. */
function sideEnd(h: Hunk, side: Side): number {
  return side === 'pre' ? h.oldStart + h.oldLines : h.newStart + h.newLines;
}

function sideStart(h: Hunk, side: Side): number {
  return side === 'pre' ? h.oldStart : h.newStart;
}

/** Groups the pieces of one side of one file's hunks into per-function chains. */
function chainsOf(hunks: Hunk[], side: Side): Chain[] {
  const chains: Chain[] = [];
  let open: Chain | undefined;
  hunks.forEach((h, hi) => {
    const lines = sideLines(h, side);
    const pieces = findPieces(lines);
    let nextOpen: Chain | undefined;
    pieces.forEach((p, k) => {
      const seg: Segment = { hunk: hi, lines: lines.slice(p.first, p.last + 1), piece: p, gap: false };
      let chain: Chain | undefined;
      if (k === 0 && p.startsOpen) {
        const hint = hintName(h.section);
        const noHint = h.section.trim() === '';
        if (open && (noHint || open.name === undefined || hint === open.name)) {
          chain = open;
          const prev = chain.segments[chain.segments.length - 1]!;
          seg.gap = sideEnd(hunks[prev.hunk]!, side) !== sideStart(h, side);
          chain.name ??= hint;
          chain.segments.push(seg);
        } else {
          chain = { name: hint, namedByCode: false, segments: [seg] };
          chains.push(chain);
        }
      } else {
        chain = { name: p.name ?? (p.startsOpen ? hintName(h.section) : undefined), namedByCode: p.name !== undefined, segments: [seg] };
        chains.push(chain);
      }
      if (p.endsOpen && k === pieces.length - 1) nextOpen = chain;
    });
    open = nextOpen;
  });
  return chains;
}

function isFunctionChain(c: Chain): boolean {
  return c.name !== undefined || c.segments.some((s) => s.piece.kind === 'function' || s.piece.statements);
}

function isWhole(c: Chain): boolean {
  const first = c.segments[0]!;
  const last = c.segments[c.segments.length - 1]!;
  return c.namedByCode && !first.piece.startsOpen && !last.piece.endsOpen && c.segments.every((s) => !s.gap);
}

function chainText(c: Chain): CText {
  const lines: SideLine[] = [];
  const gaps: number[] = [];
  for (const s of c.segments) {
    if (s.gap && lines.length > 0) gaps.push(lines.length);
    lines.push(...s.lines);
  }
  return ctextFromLines(lines, gaps);
}

function keyOf(c: Chain, fileIndex: number): string {
  return c.name !== undefined ? `${fileIndex}:${c.name}` : `${fileIndex}:?${c.segments[0]!.hunk}`;
}

function lineRange(doc: PatchDocument, first: number, last: number): Range {
  return { start: { line: first, character: 0 }, end: { line: last, character: doc.lines[last]?.length ?? 0 } };
}

/** Every function the document's hunks touch, and the functions pasted into its mails. */
export function extractFunctions(doc: PatchDocument): { functions: PatchFunction[]; problems: IntakeProblem[] } {
  const functions: PatchFunction[] = [];
  const problems: IntakeProblem[] = [];
  doc.files.forEach((f, fi) => {
    if (f.binary) return;
    const file = f.newPath ?? f.oldPath ?? '';
    const byKey = new Map<string, { pre?: Chain; post?: Chain }>();
    for (const side of ['pre', 'post'] as const) {
      for (const c of chainsOf(f.hunks, side)) {
        const k = keyOf(c, fi);
        const entry = byKey.get(k) ?? {};
        // Two definitions of one name in a file section: keep the first (a later one is an error
        // the compiler reports; the model has one body per name).
        if (!entry[side]) entry[side] = c;
        byKey.set(k, entry);
      }
    }
    for (const { pre, post } of byKey.values()) {
      const chains = [pre, post].filter((c): c is Chain => c !== undefined);
      if (!chains.some((c) => c.segments.some((s) => s.piece.touched))) continue;
      if (!chains.some(isFunctionChain)) continue;
      const name = post?.name ?? pre?.name ?? '';
      const fn = buildFunction(doc, name, file, f.message, fi, pre, post);
      functions.push(fn);
    }
  });
  for (const block of doc.codeBlocks) functions.push(...presentFunctions(doc, block));
  functions.sort((a, b) => a.range.start.line - b.range.start.line);
  return { functions, problems };
}

function buildFunction(doc: PatchDocument, name: string, file: string, message: number, fi: number, pre?: Chain, post?: Chain): PatchFunction {
  const hunkSet = new Set<number>();
  let first = Infinity;
  let last = -Infinity;
  for (const c of [pre, post]) {
    for (const s of c?.segments ?? []) {
      hunkSet.add(s.hunk);
      for (const l of s.lines) { first = Math.min(first, l.line); last = Math.max(last, l.line); }
    }
  }
  const fn: PatchFunction = {
    name, file, message,
    preOrigin: 'none', postOrigin: 'none',
    hunks: [...hunkSet].sort((a, b) => a - b).map((hunk) => ({ file: fi, hunk })),
    range: lineRange(doc, first, last),
  };
  if (pre) {
    const c = chainText(pre);
    if (isWhole(pre)) { fn.pre = { c, whole: true }; fn.preOrigin = 'patch'; }
    else {
      const spliced = spliceIntoLibrary(name, file, 'pre', c);
      if (spliced) { fn.pre = spliced.side; fn.preOrigin = 'library' satisfies PreOrigin; fn.era = spliced.era; }
      else { fn.pre = { c, whole: false }; fn.preOrigin = 'fragment'; }
    }
  }
  if (post) {
    const c = chainText(post);
    if (isWhole(post)) { fn.post = { c, whole: true }; fn.postOrigin = 'patch'; }
    else {
      const spliced = spliceIntoLibrary(name, file, 'post', c);
      if (spliced) { fn.post = spliced.side; fn.postOrigin = 'spliced' satisfies PostOrigin; fn.era ??= spliced.era; }
      else { fn.post = { c, whole: false }; fn.postOrigin = 'fragment'; }
    }
  }
  return fn;
}

/** Functions defined whole in code pasted into a mail: post 'present', no pre side. */
function presentFunctions(doc: PatchDocument, block: CodeBlock): PatchFunction[] {
  const lines: SideLine[] = block.lines.map((l) => ({ ...l, changed: true }));
  const out: PatchFunction[] = [];
  for (const p of findPieces(lines)) {
    if (p.kind !== 'function' || p.name === undefined || p.startsOpen || p.endsOpen) continue;
    const body = lines.slice(p.first, p.last + 1);
    out.push({
      name: p.name, file: '', message: block.message,
      post: { c: ctextFromLines(body), whole: true },
      preOrigin: 'none', postOrigin: 'present',
      hunks: [],
      range: lineRange(doc, body[0]!.line, body[body.length - 1]!.line),
    });
  }
  return out;
}

/** The innermost function whose document range holds `line` (0-based), for hover. */
export function functionAt(functions: PatchFunction[], line: number): PatchFunction | undefined {
  let best: PatchFunction | undefined;
  for (const f of functions) {
    if (line < f.range.start.line || line > f.range.end.line) continue;
    if (!best || f.range.end.line - f.range.start.line < best.range.end.line - best.range.start.line) best = f;
  }
  return best;
}
