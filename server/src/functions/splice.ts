/**
 * Splicing the hunks of one function into the model library's body of it (DESIGN section 4,
 * step 2), for functions the patch does not hold whole.
 *
 * Alignment: every hunk line is reduced to a key, the C tokens of its code (comments, whitespace
 * and string contents ignored; a leading `}` and a trailing `{` dropped, so `if (x) {` and
 * `if (x)` agree). The code lines of the hunks' pre-images (context and '-') are aligned with the
 * library body's code lines by a longest-common-subsequence style search over equal keys: lines
 * match in order, hunk after hunk, and among alignments with as many matches the one whose
 * matched lines keep the spacing the hunk shows wins (so a statement the library repeats is
 * matched where its neighbours are). A removed line must also match with its braces. A hunk is
 * placed when at least one of its code lines matches, at most a third of them do not, none that
 * does not is held elsewhere in the body (that is the hunk out of order), and no removed code
 * line lies outside the stretch its matches cover.
 *
 * Building: the library lines a hunk's matched stretch covers (grown over neighbouring lines the
 * two share verbatim: blank lines, braces, comments) are replaced by the hunk's own lines, its
 * pre-image for `pre` and its post-image for `post`; library lines inside the stretch that the
 * hunk does not show are dropped (the patch says what is there). Added code just outside the
 * stretch is put next to it; context lines outside it give way to the library's lines, and so
 * does matched context whose braces differ from the library's. A result whose braces do not
 * balance is refused. Limits: a statement the library wraps onto other lines than the patch
 * does not match line by line (it only counts against the third); string contents are not
 * compared; a hunk that starts inside a comment without showing its `*` `/` is read as code.
 */
import type { CText, LineOrigin } from './types';
import { scanLines } from './scan';

export interface SpliceLine {
  kind: ' ' | '-' | '+';
  /** The line without its diff marker. */
  text: string;
  /** Document line and the character where `text` starts there. */
  line: number;
  character: number;
}

export interface LibraryBody {
  name: string;
  /** Library file, `<era>/<name>.c`. */
  file: string;
  /** The whole definition. */
  text: string;
  /** 0-based line of the definition's first line in `file`. */
  startLine: number;
}

export type SpliceOutcome =
  /** `matched`: pre-image code lines aligned; `score`: the alignment's score (see align). */
  | { ok: true; pre: CText; post: CText; matched: number; score: number }
  /**
   * `hunk` indexes the hunks given; `unmatched` is its first code line that found no place,
   * `misplaced` the first such line that the library body holds elsewhere (out of order).
   */
  | { ok: false; hunk: number; reason: 'context' | 'braces'; unmatched?: SpliceLine; misplaced?: SpliceLine };

/**
 * Per line: its comparison key ('' when it holds no code), its `strict` key (every token, braces
 * included) and whether it holds any code at all.
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

const MATCH = 4;
/** Most a jump between two matches of one hunk may cost: less than MATCH, so the alignment with
 *  the most matches always wins and the spacing only chooses among equally long ones. */
const MAX_JUMP_COST = 3;

interface PreLine { hunk: number; index: number; pos: number; key: string; strict: string; removed: boolean }

/**
 * The alignment: for each hunk, pairs [index in the hunk's lines, library line index], in order.
 * Dynamic programming over the pairs of equal keys (few per line), not over the full grid.
 */
function align(hunks: SpliceLine[][], libKeys: { key: string; strict: string }[]): { pairs: [number, number][][]; score: number } {
  const pre: PreLine[] = [];
  hunks.forEach((h, hi) => {
    const idx = h.map((l, i) => (l.kind === '+' ? -1 : i)).filter((i) => i >= 0);
    const keys = codeKeys(idx.map((i) => h[i]!.text));
    idx.forEach((i, pos) => {
      const k = keys[pos]!;
      if (k.key !== '') pre.push({ hunk: hi, index: i, pos, key: k.key, strict: k.strict, removed: h[i]!.kind === '-' });
    });
  });
  const byKey = new Map<string, number[]>();
  libKeys.forEach((k, j) => { if (k.key !== '') byKey.set(k.key, [...(byKey.get(k.key) ?? []), j]); });
  const pairs: { p: number; j: number; score: number; prev: number }[] = [];
  // A removed line must match with its braces: removing `if (x)` where the library has
  // `if (x) {` would leave the library's closing brace behind.
  pre.forEach((pl, p) => {
    for (const j of byKey.get(pl.key) ?? []) if (!pl.removed || libKeys[j]!.strict === pl.strict) pairs.push({ p, j, score: 0, prev: -1 });
  });
  let bestEnd = -1;
  for (let t = 0; t < pairs.length; t++) {
    const cur = pairs[t]!;
    cur.score = MATCH;
    for (let s = 0; s < t; s++) {
      const prev = pairs[s]!;
      if (prev.p >= cur.p || prev.j >= cur.j) continue;
      const a = pre[prev.p]!;
      const b = pre[cur.p]!;
      const cost = a.hunk === b.hunk ? Math.min(MAX_JUMP_COST, Math.abs((cur.j - prev.j) - (b.pos - a.pos))) : 0;
      const score = prev.score - cost + MATCH;
      if (score > cur.score) { cur.score = score; cur.prev = s; }
    }
    if (bestEnd < 0 || cur.score > pairs[bestEnd]!.score) bestEnd = t;
  }
  const out: [number, number][][] = hunks.map(() => []);
  for (let t = bestEnd; t >= 0; t = pairs[t]!.prev) {
    const pr = pairs[t]!;
    const pl = pre[pr.p]!;
    out[pl.hunk]!.unshift([pl.index, pr.j]);
  }
  return { pairs: out, score: bestEnd < 0 ? 0 : pairs[bestEnd]!.score };
}

const ws = (s: string) => s.replace(/\s+/g, ' ').trim();

interface Placement { first: number; last: number; libFirst: number; libLast: number; libraryWording?: Map<number, number> }

/**
 * Grows a hunk's matched stretch over neighbouring pre-image lines equal (whitespace aside) to
 * the library's neighbouring lines, taking added lines in between along, within `lo`..`hi`.
 */
function grow(h: SpliceLine[], lib: string[], p: Placement, lo: number, hi: number): Placement {
  let { first, last, libFirst, libLast } = p;
  for (;;) {
    let i = last + 1;
    while (i < h.length && h[i]!.kind === '+') i++;
    if (i >= h.length || libLast + 1 > hi || ws(h[i]!.text) !== ws(lib[libLast + 1]!)) break;
    last = i; libLast++;
  }
  for (;;) {
    let i = first - 1;
    while (i >= 0 && h[i]!.kind === '+') i--;
    if (i < 0 || libFirst - 1 < lo || ws(h[i]!.text) !== ws(lib[libFirst - 1]!)) break;
    first = i; libFirst--;
  }
  return { first, last, libFirst, libLast };
}

/** Keys of the hunk's pre-image lines (context and '-'), by index in the hunk's lines. */
function preKeys(h: SpliceLine[]): Map<number, { key: string; strict: string }> {
  const idx = h.map((l, i) => (l.kind === '+' ? -1 : i)).filter((i) => i >= 0);
  const keys = codeKeys(idx.map((i) => h[i]!.text));
  return new Map(idx.map((i, n) => [i, keys[n]!]));
}

/** Whether each hunk line holds code on its own side (comment state followed per side). */
function codeFlags(h: SpliceLine[]): boolean[] {
  const flags: boolean[] = new Array<boolean>(h.length).fill(false);
  for (const side of ['pre', 'post'] as const) {
    const idx = h.map((l, i) => (l.kind === (side === 'pre' ? '+' : '-') ? -1 : i)).filter((i) => i >= 0);
    codeKeys(idx.map((i) => h[i]!.text)).forEach((k, n) => { if (k.code) flags[idx[n]!] = true; });
  }
  return flags;
}

/** Splices `hunks` (one function's, in file order) into the library body `lib`. */
export function spliceFunction(lib: LibraryBody, hunks: SpliceLine[][]): SpliceOutcome {
  if (hunks.length === 0) return { ok: false, hunk: 0, reason: 'context' };
  const libLines = lib.text.replace(/\n$/, '').split('\n');
  const libKeys = codeKeys(libLines);
  const libKeySet = new Set(libKeys.map((k) => k.key));
  const { pairs, score } = align(hunks, libKeys);
  const placements: Placement[] = [];
  for (let hi = 0; hi < hunks.length; hi++) {
    const h = hunks[hi]!;
    const ps = pairs[hi]!;
    const keys = preKeys(h);
    const matched = new Set(ps.map(([i]) => i));
    const code = [...keys].filter(([, k]) => k.key !== '');
    const unmatched = code.filter(([i]) => !matched.has(i));
    // A line the body holds, but not where the rest of the hunk goes: the hunk is out of order.
    const misplaced = unmatched.find(([, k]) => libKeySet.has(k.key));
    if (ps.length === 0 || misplaced || unmatched.length * 3 > code.length) {
      return { ok: false, hunk: hi, reason: 'context', unmatched: unmatched[0] && h[unmatched[0][0]], misplaced: misplaced && h[misplaced[0]] };
    }
    const first = ps[0]!;
    const last = ps[ps.length - 1]!;
    const lo = hi > 0 ? placements[hi - 1]!.libLast + 1 : 0;
    const next = pairs[hi + 1]?.[0];
    const hiBound = next ? next[1] - 1 : libLines.length - 1;
    const p = grow(h, libLines, { first: first[0], last: last[0], libFirst: first[1], libLast: last[1] }, lo, hiBound);
    // A removed code line outside the stretch has no library line to remove.
    const stray = h.findIndex((l, i) => l.kind === '-' && (keys.get(i)?.key ?? '') !== '' && (i < p.first || i > p.last));
    if (stray >= 0) return { ok: false, hunk: hi, reason: 'context', unmatched: h[stray] };
    // Context the library words with other braces (`if (x)` against `if (x) {`) keeps the
    // library's line, so the body's braces stay the library's.
    const libraryWording = new Map<number, number>();
    for (const [i, j] of ps) if (h[i]!.kind === ' ' && keys.get(i)!.strict !== libKeys[j]!.strict) libraryWording.set(i, j);
    placements.push({ ...p, libraryWording });
  }
  const pre: Out[] = [];
  const post: Out[] = [];
  let libPos = 0;
  const libraryLine = (j: number): Out => ({ text: libLines[j]!, line: -1, character: 0, origin: { file: lib.file, line: lib.startLine + j } });
  const copyLibrary = (upTo: number) => {
    for (; libPos < upTo; libPos++) {
      const o = libraryLine(libPos);
      pre.push(o); post.push(o);
    }
  };
  hunks.forEach((h, hi) => {
    const p = placements[hi]!;
    copyLibrary(p.libFirst);
    const hasCode = codeFlags(h);
    h.forEach((l, i) => {
      const j = p.libraryWording?.get(i);
      const o: Out = j === undefined
        ? { text: l.text, line: l.line, character: l.character, origin: 'document' }
        : libraryLine(j);
      if (i >= p.first && i <= p.last) {
        if (l.kind !== '+') pre.push(o);
        if (l.kind !== '-') post.push(o);
      } else if (l.kind === '+' && hasCode[i]) {
        // Added code next to the stretch; added comments and blank lines there are left out
        // (a comment could be cut off from its opening line).
        post.push(o);
      }
    });
    libPos = p.libLast + 1;
  });
  copyLibrary(libLines.length);
  // The last guard: a splice that leaves the braces unbalanced would not parse as one function.
  if (!balanced(pre) || !balanced(post)) return { ok: false, hunk: 0, reason: 'braces' };
  return { ok: true, pre: ctext(pre), post: ctext(post), matched: pairs.reduce((n, p) => n + p.length, 0), score };
}

interface Out { text: string; line: number; character: number; origin: LineOrigin }

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
 * The library function that one function's hunks belong to when nothing names it: the one the
 * hunks splice into with the best alignment score (most matched lines, then the fewest jumps
 * the hunk does not show), with at least MIN_IDENTIFY lines matched. A tie is no answer.
 */
export function identifyFunction(candidates: LibraryBody[], hunks: SpliceLine[][]): { body: LibraryBody; outcome: SpliceOutcome & { ok: true } } | undefined {
  let best: { body: LibraryBody; outcome: SpliceOutcome & { ok: true } } | undefined;
  let tie = false;
  for (const body of candidates) {
    const outcome = spliceFunction(body, hunks);
    if (!outcome.ok || outcome.matched < MIN_IDENTIFY) continue;
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
