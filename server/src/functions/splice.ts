/**
 * Placing the hunks of one function into the model library's body of it (DESIGN section 4,
 * step 2), for functions the patch does not hold whole. Placement works on statements
 * (statements.ts), not on lines of text.
 *
 * Alignment (align.ts): the pre-image of every hunk and the library body are cut into statement
 * units and aligned by their normalised keys, tolerating unmatched units on either side.
 *
 * A hunk is placed when it matched something, every removed unit has its counterpart, and every
 * added line has a matched unit before or after it in the hunk and sits in a block whose head (if
 * the hunk shows it) is matched. `exact` when every pre-image unit matched and the library holds
 * nothing else between the first and the last match; else `aligned` with k of n pre-image
 * statements matched; else `not-placed` with `why` naming the first statement without a
 * counterpart.
 *
 * Building: the library body is kept; a matched unit is written with the hunk's own lines (so
 * findings land on the patch) on both sides, minus its '+' lines on `pre` and its '-' lines on
 * `post`; context worded with other braces keeps the library's lines. Added lines go right after
 * the matched unit before them when no unmatched unit lies in between, else right before the
 * matched unit after them. Unmatched context of the hunk is left out (the library does not model
 * it). A result whose braces do not balance is refused.
 * Limits: local renames are not undone; string contents are not compared; a hunk that starts
 * inside a comment without showing its `*` `/` is read as code.
 */
import type { CText, HunkPlacement, LineOrigin } from './patch-function';
import { scanLines } from './scan';
import { align, hunkUnits, type HUnit, type SpliceLine } from './align';
import { statementUnits, type Unit } from './statements';
import { appendAll, maxOf, minOf } from '../arrays';

export interface LibraryBody {
  name: string;
  /** The layer file that wrote this version, `<layer>/<name>.c` or `<layer>/<name>.c.patch`. */
  file: string;
  /** The whole definition. */
  text: string;
  /** Per line of `text`: the layer file and 0-based line it comes from (`LibraryFunction.origin`). */
  origin: readonly { file: string; line: number }[];
  /**
   * In a series, the body an earlier message left (its post side): `text` is its text and each
   * line keeps where it came from. Lines that message wrote must be in the hunk's context where
   * the hunk covers them: a context that does not show them is a mismatch, never papered over.
   */
  base?: CText;
}

/**
 * How one hunk was placed: `matched` of `context` pre-image statements (context and removed,
 * braces aside) found their counterpart; `at` is the hunk line `why` is about.
 */
export interface SplicePlacement extends HunkPlacement {
  placement: 'exact' | 'aligned' | 'not-placed';
  matched: number;
  context: number;
  at?: SpliceLine;
}

export type SpliceOutcome =
  /** `matched`: pre-image statements aligned; `score`: the alignment's score (see align). */
  | { ok: true; pre: CText; post: CText; matched: number; score: number; hunks: SplicePlacement[] }
  /**
   * `hunk` indexes the first hunk not placed; `unmatched` is its first statement line that found
   * no place, `misplaced` the first such line that the library body holds elsewhere.
   */
  | { ok: false; hunk: number; reason: 'context' | 'braces'; unmatched?: SpliceLine; misplaced?: SpliceLine; hunks: SplicePlacement[]; score: number };

/**
 * Per line: its comparison key ('' when it holds no code), its `strict` key (every token, braces
 * included) and whether it holds any code at all. Line keys serve the era ranking (era.ts).
 */
export function codeKeys(lines: string[]): { key: string; strict: string; code: boolean }[] {
  const scan = scanLines(lines);
  const toks: string[][] = lines.map(() => []);
  for (const t of scan.tokens) toks[t.line]?.push(t.text);
  return lines.map((text, i) => {
    const code = scan.hasCode[i] ?? false;
    const ts = toks[i] ?? [];
    // Preprocessor lines give no tokens; compare them by their text.
    if (ts.length === 0) {
      const key = code ? text.replace(/\s+/g, ' ').trim() : '';
      return { key, strict: key, code };
    }
    let a = 0;
    let b = ts.length;
    while (a < b && ts[a] === '}') a++;
    while (b > a && ts[b - 1] === '{') b--;
    return { key: ts.slice(a, b).join(' '), strict: ts.join(' '), code };
  });
}

interface Out { text: string; line: number; character: number; origin: LineOrigin }

/** Line k of the body placed into, with where it comes from (the library, or an earlier message). */
function baseLine(lib: LibraryBody, libLines: string[], k: number): Out {
  const m = lib.base?.map[k];
  const own = lib.origin[k] ?? { file: lib.file, line: -1 };
  if (!m) return { text: libLines[k]!, line: -1, character: 0, origin: own };
  const origin = lib.base!.origin?.[k] ?? (m.line >= 0 ? 'document' : own);
  return { text: libLines[k]!, line: m.line, character: m.character, origin };
}

const quote = (l: SpliceLine) => `\`${l.text.trim()}\``;

/** Places every hunk (see the file comment); `attach[i]` of a hunk's '+' line: [library unit, 'after' | 'before']. */
function placeHunks(hunks: SpliceLine[][], hu: HUnit[], lib: Unit[], match: number[], written: (j: number) => number | undefined): { placements: SplicePlacement[]; attach: Map<number, [number, 'after' | 'before']>[]; misplaced: (SpliceLine | undefined)[] } {
  const libKeys = new Set(lib.filter((u) => !u.brace).map((u) => u.key));
  const matchedLib = new Set(match.filter((j) => j >= 0));
  const placements: SplicePlacement[] = [];
  const attach: Map<number, [number, 'after' | 'before']>[] = [];
  const misplacedAt: (SpliceLine | undefined)[] = [];
  hunks.forEach((h, hi) => {
    const mine = hu.map((u, ui) => ({ u, ui })).filter(({ u }) => u.hunk === hi);
    const code = mine.filter(({ u }) => !u.brace);
    const matched = code.filter(({ ui }) => match[ui]! >= 0).length;
    const result: SplicePlacement = { placement: 'aligned', matched, context: code.length };
    const fail = (why: string, at?: SpliceLine) => {
      if (result.placement !== 'not-placed') Object.assign(result, { placement: 'not-placed', why, at }, at ? { whyAt: { line: at.line, character: at.character } } : {});
    };
    const firstUnmatched = code.find(({ ui }) => match[ui]! < 0);
    const misplaced = code.find(({ u, ui }) => match[ui]! < 0 && u.removed && libKeys.has(u.key));
    misplacedAt.push(misplaced && h[misplaced.u.from]);
    if (matched === 0) fail(firstUnmatched ? `first unmatched line ${quote(h[firstUnmatched.u.from]!)}` : 'it shows no statement to align', firstUnmatched && h[firstUnmatched.u.from]);
    const removedMiss = mine.find(({ u, ui }) => u.removed && match[ui]! < 0);
    if (removedMiss) {
      const l = h[removedMiss.u.from]!;
      fail(`first unmatched line ${quote(l)}` + (misplaced?.ui === removedMiss.ui ? ' is in the library body, but not in this order or not with these braces' : ', removed by the hunk, is not in the library body'), l);
    }
    // Added lines: where each goes, and the block it sits in.
    const at = new Map<number, [number, 'after' | 'before']>();
    const unitAt = new Map<number, HUnit & { ui: number }>();
    for (const { u, ui } of mine) for (let i = u.from; i <= u.to; i++) unitAt.set(i, { ...u, ui });
    let lastMatched = -1;
    let clean = false;
    let lastUnit: (HUnit & { ui: number }) | undefined;
    let pending: number[] = [];
    for (let i = 0; i < h.length; i++) {
      const u = unitAt.get(i);
      if (u) {
        if (i === u.to) {
          lastUnit = u;
          if (match[u.ui]! >= 0) {
            for (const p of pending) at.set(p, [match[u.ui]!, 'before']);
            pending = [];
            lastMatched = match[u.ui]!;
            clean = true;
          } else clean = false;
        }
        continue;
      }
      if (h[i]!.kind !== '+') continue;
      const head = lastUnit ? (lastUnit.opens ? lastUnit.ui : lastUnit.parent) : -1;
      if (head >= 0 && match[head]! < 0) fail(`first unmatched line ${quote(h[hu[head]!.from]!)} holds added lines`, h[hu[head]!.from]);
      if (clean && lastMatched >= 0) at.set(i, [lastMatched, 'after']);
      else pending.push(i);
    }
    if (pending.length) {
      if (lastMatched >= 0) for (const p of pending) at.set(p, [lastMatched, 'after']);
      else fail('its added lines have no aligned statement before or after them', h[pending[0]!]);
    }
    attach.push(at);
    if (result.placement !== 'not-placed') {
      const js = mine.map(({ ui }) => match[ui]!).filter((j) => j >= 0);
      const lo = minOf(js);
      const hiJ = maxOf(js);
      // In a series: what an earlier message wrote inside the stretch must be in this context.
      const stray = lib.map((u, j) => (j > lo && j < hiJ && !u.brace && !matchedLib.has(j) ? written(j) : undefined)).find((l) => l !== undefined);
      if (stray !== undefined) {
        fail('a line an earlier message of the series wrote is not in this hunk\'s context', { kind: ' ', text: '', line: stray, character: 0 });
        placements.push(result);
        return;
      }
      const extra = lib.some((_, j) => j > lo && j < hiJ && !matchedLib.has(j));
      const reworded = mine.some(({ u, ui }) => match[ui]! >= 0 && !u.brace && !u.cut && u.strict !== lib[match[ui]!]!.strict);
      if (mine.every(({ ui }) => match[ui]! >= 0) && !extra && !reworded) result.placement = 'exact';
    }
    placements.push(result);
  });
  return { placements, attach, misplaced: misplacedAt };
}

/** Places `hunks` (one function's, in file order) into the library body `lib` and builds both sides. */
export function spliceFunction(lib: LibraryBody, hunks: SpliceLine[][]): SpliceOutcome {
  if (hunks.length === 0) return { ok: false, hunk: 0, reason: 'context', hunks: [], score: 0 };
  const libLines = lib.text.replace(/\n$/, '').split('\n');
  const libUnits = statementUnits(libLines);
  const hu = hunkUnits(hunks);
  const { match, score } = align(hu, libUnits);
  // Units of the base that an earlier message of a series wrote: their first document line.
  const written = (j: number): number | undefined => {
    const u = libUnits[j]!;
    for (let k = u.first; k <= u.last; k++) if (lib.base?.origin?.[k] === 'document' || (lib.base && !lib.base.origin && lib.base.map[k]!.line >= 0)) return lib.base.map[k]!.line;
    return undefined;
  };
  const { placements, attach, misplaced } = placeHunks(hunks, hu, libUnits, match, written);
  const bad = placements.findIndex((p) => p.placement === 'not-placed');
  if (bad >= 0) return { ok: false, hunk: bad, reason: 'context', unmatched: placements[bad]!.at, misplaced: misplaced[bad], hunks: placements, score };

  const doc = (l: SpliceLine): Out => ({ text: l.text, line: l.line, character: l.character, origin: 'document' });
  const libraryLine = (k: number): Out => baseLine(lib, libLines, k);
  const before = new Map<number, Out[]>();
  const after = new Map<number, Out[]>();
  const replaced = new Map<number, { pre: Out[]; post: Out[] }>();
  const push = (m: Map<number, Out[]>, j: number, o: Out) => m.set(j, [...(m.get(j) ?? []), o]);
  hu.forEach((u, ui) => {
    const j = match[ui]!;
    if (j < 0) return;
    const h = hunks[u.hunk]!;
    const span = h.slice(u.from, u.to + 1);
    const lu = libUnits[j]!;
    // Context the library words with other braces keeps the library's lines, so the body's
    // braces stay the library's.
    const own = u.removed || u.strict === lu.strict || span.some((l) => l.kind === '+');
    const libOut = libLines.slice(lu.first, lu.last + 1).map((_, k) => libraryLine(lu.first + k));
    replaced.set(j, {
      pre: own ? span.filter((l) => l.kind !== '+').map(doc) : libOut,
      post: own ? span.filter((l) => l.kind !== '-').map(doc) : libOut,
    });
  });
  // Between two matched units that are neighbours on both sides, the hunk's own lines (blank
  // lines, comments, added lines) take the place of the library's.
  const gap = new Map<number, { pre: Out[]; post: Out[] }>();
  const inGap = new Set<string>();
  hu.forEach((u, ui) => {
    const v = hu[ui + 1];
    if (!v || v.hunk !== u.hunk || match[ui]! < 0 || match[ui + 1] !== match[ui]! + 1) return;
    const lines = hunks[u.hunk]!.slice(u.to + 1, v.from);
    gap.set(match[ui + 1]!, { pre: lines.filter((l) => l.kind !== '+').map(doc), post: lines.filter((l) => l.kind !== '-').map(doc) });
    for (let i = u.to + 1; i < v.from; i++) inGap.add(`${u.hunk}:${i}`);
  });
  hunks.forEach((h, hi) => {
    for (const [i, [j, where]] of attach[hi]!) if (!inGap.has(`${hi}:${i}`)) push(where === 'after' ? after : before, j, doc(h[i]!));
  });
  const pre: Out[] = [];
  const post: Out[] = [];
  let k = 0;
  libUnits.forEach((lu, j) => {
    const g = gap.get(j);
    if (g) { appendAll(pre, g.pre); appendAll(post, g.post); k = lu.first; }
    for (; k < lu.first; k++) { pre.push(libraryLine(k)); post.push(libraryLine(k)); }
    appendAll(post, before.get(j) ?? []);
    const r = replaced.get(j);
    if (r) { appendAll(pre, r.pre); appendAll(post, r.post); }
    else for (let n = lu.first; n <= lu.last; n++) { pre.push(libraryLine(n)); post.push(libraryLine(n)); }
    k = lu.last + 1;
    appendAll(post, after.get(j) ?? []);
  });
  for (; k < libLines.length; k++) { pre.push(libraryLine(k)); post.push(libraryLine(k)); }
  // The last guard: a placement that leaves the braces unbalanced would not parse as one function.
  if (!balanced(pre) || !balanced(post)) {
    const hunksOut = placements.map((p) => ({ ...p, placement: 'not-placed' as const, why: 'placing it leaves the braces unbalanced' }));
    return { ok: false, hunk: 0, reason: 'braces', hunks: hunksOut, score };
  }
  const matched = placements.reduce((n, p) => n + p.matched, 0);
  return { ok: true, pre: ctext(pre), post: ctext(post), matched, score, hunks: placements };
}

/** The braces open once at the body and close there last: nothing is left open or closed early. */
function balanced(lines: Out[]): boolean {
  let depth = 0;
  let closed = false;
  for (const t of scanLines(lines.map((l) => l.text)).tokens) {
    if (t.text === '{') {
      if (closed) return false;
      depth++;
    } else if (t.text === '}') {
      depth--;
      if (depth < 0) return false;
      if (depth === 0) closed = true;
    }
  }
  return closed && depth === 0;
}

/** Spliced text: document positions in `map` for patch lines, library lines in `origin`. */
function ctext(lines: Out[]): CText {
  return {
    text: lines.map((l) => l.text).join('\n') + '\n',
    map: lines.map((l) => ({ line: l.line, character: l.character })),
    source: { kind: 'document' },
    origin: lines.map((l) => l.origin),
  };
}

/** Fewest aligned code lines that may name a function: fewer could be any function's. */
const MIN_IDENTIFY = 3;

/**
 * The library function that one function's hunks belong to when nothing names it (an `@@` line
 * with a label or nothing): the one whose body the hunks align with best (most matched
 * statements, then the fewest jumps the hunk does not show), with at least MIN_IDENTIFY
 * statements matched, placed or not. A tie is no answer.
 */
export function identifyFunction(candidates: LibraryBody[], hunks: SpliceLine[][]): { body: LibraryBody; outcome: SpliceOutcome } | undefined {
  let best: { body: LibraryBody; outcome: SpliceOutcome } | undefined;
  let tie = false;
  for (const body of candidates) {
    const outcome = spliceFunction(body, hunks);
    // The function that holds the context best is the hunk's, whether or not it then places.
    if (outcome.hunks.reduce((n, h) => n + h.matched, 0) < MIN_IDENTIFY) continue;
    if (!best || outcome.score > best.outcome.score) { best = { body, outcome }; tie = false; }
    else if (outcome.score === best.outcome.score) tie = true;
  }
  return tie ? undefined : best;
}

/** Longest common subsequence of two key lists (code lines only), for similarity measures. */
export function commonLines(a: string[], b: string[]): number {
  const x = a.filter((k) => k !== '');
  const y = b.filter((k) => k !== '');
  let prev = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const cur = new Array<number>(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) cur[j] = x[i - 1] === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return prev[y.length]!;
}
