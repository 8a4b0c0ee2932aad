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
 * lines missing between them; otherwise the function's hunks are spliced into the body of the
 * same function in the library of the patch's era (functions/era.ts, splice.ts): pre 'library' and post
 * 'spliced'. A hunk that names no function is identified by the function of the library file of
 * the same name (mm/filemap.c: <era>/filemap.c) that its context aligns with best. When a known
 * function's hunks do not fit its library body, the bodies stay 'fragment' and a warning at the
 * misfit hunk's `@@` line says why; a function the library lacks stays a fragment silently (most
 * of the kernel is not modelled). Code pasted into a mail yields 'present' post bodies, with the
 * era whose library version of the function is most like it. Splicing needs the C parser ready
 * (the library loader parses); without it every such body stays a fragment.
 */
import type { CodeBlock, Hunk, IntakeProblem, PatchDocument, Range } from '../intake/document';
import { eraFunctions, messageEras, presentEra } from './era';
import { findPieces, hintName, type Piece, type SideLine } from './pieces';
import { identifyFunction, spliceFunction, type LibraryBody, type SpliceOutcome } from './splice';
import type { SpliceLine } from './align';
import type { CText, PatchFunction } from './patch-function';
import type { Side } from '../findings';


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
        // An `@@` line with a label (`retry:`) or nothing names no function: the hunk goes on in
        // the function the previous hunk left open.
        const noHint = hint === undefined;
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
    // One push per line: spreading a segment of 200,000 lines overflows the stack.
    for (const l of s.lines) lines.push(l);
  }
  return ctextFromLines(lines, gaps);
}

function keyOf(c: Chain, fileIndex: number): string {
  return c.name !== undefined ? `${fileIndex}:${c.name}` : `${fileIndex}:?${c.segments[0]!.hunk}`;
}

function lineRange(doc: PatchDocument, first: number, last: number): Range {
  return { start: { line: first, character: 0 }, end: { line: last, character: doc.lines[last]?.length ?? 0 } };
}

/** A C source or header (or a hunk with no file name, as pasted into a mail). */
export function isCSource(path: string): boolean {
  return path === '' || /\.[ch]$/.test(path);
}

/** Every function the document's hunks touch, and the functions pasted into its mails. */
export function extractFunctions(doc: PatchDocument): { functions: PatchFunction[]; problems: IntakeProblem[] } {
  const functions: PatchFunction[] = [];
  const problems: IntakeProblem[] = [];
  const eraOf = messageEras(doc);
  // A series applies in order: the bodies each message leaves, by era and name, are what the
  // next message's hunks are placed into (DESIGN section 4).
  const series = new Map<string, LibraryBody>();
  doc.files.forEach((f, fi) => {
    if (f.binary) return;
    const file = f.newPath ?? f.oldPath ?? '';
    // Only C is lowered: text under Documentation/, Kconfig or a Makefile may look like C, but
    // nothing runs it (no function, no static rule, no model finding on its lines).
    if (!isCSource(file)) return;
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
      const era = eraOf.get(f.message);
      if (era !== undefined) {
        fn.era = era;
        const problem = spliceSides(doc, fn, era, series, pre, post);
        if (problem) problems.push(problem);
        const lib = eraFunctions(era).get(fn.name);
        if (lib && fn.post && fn.postOrigin !== 'fragment' && f.message >= 0) series.set(`${era}:${fn.name}`, { name: fn.name, ...lib, text: fn.post.c.text, base: fn.post.c });
      }
      markUnplaced(fn, era);
      functions.push(fn);
    }
  });
  for (const block of doc.codeBlocks) for (const f of presentFunctions(doc, block)) functions.push(f);
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
    const whole = isWhole(pre);
    fn.pre = { c: chainText(pre), whole };
    fn.preOrigin = whole ? 'patch' : 'fragment';
  }
  if (post) {
    const whole = isWhole(post);
    fn.post = { c: chainText(post), whole };
    fn.postOrigin = whole ? 'patch' : 'fragment';
  }
  return fn;
}

/**
 * Replaces the fragment sides of `fn` with its hunks spliced into the era's library body (and
 * names an unnamed function after the library function it fits). Returns the problem to report
 * when a known library function does not take the hunks.
 */
function spliceSides(doc: PatchDocument, fn: PatchFunction, era: string, series: Map<string, LibraryBody>, pre?: Chain, post?: Chain): IntakeProblem | undefined {
  if (fn.preOrigin !== 'fragment' && fn.postOrigin !== 'fragment') return undefined;
  const lib = eraFunctions(era);
  const body = (name: string): LibraryBody | undefined => {
    const earlier = series.get(`${era}:${name}`);
    if (earlier) return earlier;
    const f = lib.get(name);
    return f && { name, ...f };
  };
  const hunks = functionHunks(doc, fn, pre, post);
  if (hunks.length === 0) return undefined;
  const missing = (why: string) => { for (const h of fn.hunks) h.placement = { placement: 'fragment', why }; };
  let outcome: SpliceOutcome;
  let name = fn.name;
  if (name !== '') {
    const b = body(name);
    if (!b) { missing(`the ${era} library has no ${name}()`); return undefined; }
    outcome = spliceFunction(b, hunks.map((h) => h.lines));
  } else {
    // Only the library file of the same name is searched: a function the library does not
    // model must not be taken for one it does (it would replace that one in the model).
    const base = fn.file.split('/').pop() ?? '';
    const sameFile = [...lib.keys()].map((n) => body(n)!).filter((b) => b.file.replace(/\.patch$/, '').endsWith(`/${base}`));
    const found = base === '' ? undefined : identifyFunction(sameFile, hunks.map((h) => h.lines));
    if (!found) { missing(`no function of the ${era} library's ${base || 'files'} holds its context`); return undefined; }
    name = found.body.name;
    fn.name = name;
    outcome = found.outcome;
  }
  // Per hunk, as placed (a hunk that lent the function no lines keeps no placement).
  hunks.forEach((h, i) => {
    const p = outcome.hunks[i];
    const entry = fn.hunks.find((e) => doc.files[e.file]?.hunks[e.hunk] === h.hunk);
    if (!p || !entry) return;
    entry.placement = { placement: p.placement, matched: p.matched, context: p.context };
    if (p.why) entry.placement.why = p.why;
    if (p.whyAt) entry.placement.whyAt = p.whyAt;
  });
  if (!outcome.ok) {
    const h = (hunks[outcome.hunk] ?? hunks[0]!).hunk;
    const why = outcome.hunks[outcome.hunk]?.why;
    return {
      message: `context of this hunk does not match ${era} ${name}${why ? `: ${why}` : ''}; the function is checked as a fragment`,
      range: lineRange(doc, h.line, h.line),
      severity: 'warning',
    };
  }
  fn.name = name;
  if (fn.preOrigin === 'fragment') { fn.pre = { c: outcome.pre, whole: true }; fn.preOrigin = 'library'; }
  if (fn.postOrigin === 'fragment') { fn.post = { c: outcome.post, whole: true }; fn.postOrigin = 'spliced'; }
  return undefined;
}

/** Hunks that no placement was recorded for: the whole definition, or nothing to place into. */
function markUnplaced(fn: PatchFunction, era: string | undefined): void {
  const whole = fn.preOrigin !== 'fragment' && fn.postOrigin !== 'fragment' && fn.preOrigin !== 'library';
  for (const h of fn.hunks) {
    if (h.placement) continue;
    h.placement = whole ? { placement: 'whole' } : { placement: 'fragment', why: era === undefined ? 'no era library holds its context' : 'no library body to place it into' };
  }
}

/**
 * The lines of each hunk of `fn` that belong to it (those its pre or post chain holds), in file
 * order, as splice input.
 */
function functionHunks(doc: PatchDocument, fn: PatchFunction, pre?: Chain, post?: Chain): { hunk: Hunk; lines: SpliceLine[] }[] {
  const mine = new Set<number>();
  for (const c of [pre, post]) for (const s of c?.segments ?? []) for (const l of s.lines) mine.add(l.line);
  const out: { hunk: Hunk; lines: SpliceLine[] }[] = [];
  for (const { file, hunk } of fn.hunks) {
    const h = doc.files[file]?.hunks[hunk];
    if (!h) continue;
    const lines = h.lines.filter((l) => mine.has(l.line)).map((l) => ({ kind: l.kind, text: l.text, line: l.line, character: 1 }));
    if (lines.length) out.push({ hunk: h, lines });
  }
  return out;
}

/** Functions defined whole in code pasted into a mail: post 'present', no pre side. */
function presentFunctions(doc: PatchDocument, block: CodeBlock): PatchFunction[] {
  const lines: SideLine[] = block.lines.map((l) => ({ ...l, changed: true }));
  const out: PatchFunction[] = [];
  for (const p of findPieces(lines)) {
    if (p.kind !== 'function' || p.name === undefined || p.startsOpen || p.endsOpen) continue;
    const body = lines.slice(p.first, p.last + 1);
    const c = ctextFromLines(body);
    const fn: PatchFunction = {
      name: p.name, file: '', message: block.message,
      post: { c, whole: true },
      preOrigin: 'none', postOrigin: 'present',
      hunks: [],
      range: lineRange(doc, body[0]!.line, body[body.length - 1]!.line),
    };
    const era = presentEra(p.name, c.text);
    if (era !== undefined) fn.era = era;
    out.push(fn);
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
