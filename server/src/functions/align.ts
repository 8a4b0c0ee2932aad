/**
 * Aligning the hunks of one function with the model library's body of it (DESIGN section 4, step
 * 2), statement by statement; splice.ts places and builds from the alignment.
 *
 * Alignment: the pre-image of every hunk (context and '-' lines) and the library body are cut
 * into statement units. Units with code are aligned by their normalised keys in order, hunk
 * after hunk, by dynamic programming over the pairs of equal keys: the most matches win, and
 * among as many the alignment whose matches keep the spacing the hunk shows (so a statement the
 * library repeats is matched where its neighbours are). A removed unit must also agree on the
 * braces it opens and closes. Then structure: a unit whose block head is in the hunk stays
 * matched only when that head is matched to the head of its library counterpart's block; a
 * closing brace is matched to the library's closing brace of the block its head matched (or, when
 * the head lies before the hunk, to the library brace that closes as many levels after the last
 * match). Unmatched units on either side are tolerated: real hunks carry statistics, readahead
 * and locals the library leaves out, and the library holds statements the hunk does not show.
 */
import { statementUnits, type Unit } from './statements';

/** One line of a hunk as the splicer reads it (splice.ts): context, removed or added. */
export interface SpliceLine {
  kind: ' ' | '-' | '+';
  /** The line without its diff marker. */
  text: string;
  /** Document line and the character where `text` starts there. */
  line: number;
  character: number;
}

const MATCH = 4;
/** Most a jump between two matches of one hunk may cost: less than MATCH, so the alignment with
 *  the most matches always wins and the spacing only chooses among equally long ones. */
const MAX_JUMP_COST = 3;

/** A pre-image unit of a hunk: hunk lines `from`..`to` (indexes into the hunk's lines). */
export interface HUnit extends Unit { hunk: number; from: number; to: number; removed: boolean; lead: number }

function leadingCloses(strict: string): number {
  let n = 0;
  for (const t of strict.split(' ')) { if (t !== '}') break; n++; }
  return n;
}

/** The pre-image units of every hunk, with parents and closers as global indexes. */
export function hunkUnits(hunks: SpliceLine[][]): HUnit[] {
  const out: HUnit[] = [];
  hunks.forEach((h, hi) => {
    const idx = h.map((l, i) => (l.kind === '+' ? -1 : i)).filter((i) => i >= 0);
    const base = out.length;
    for (const u of statementUnits(idx.map((i) => h[i]!.text))) {
      const from = idx[u.first]!;
      const to = idx[u.last]!;
      const removed = idx.slice(u.first, u.last + 1).some((i) => h[i]!.kind === '-');
      const g: HUnit = { ...u, parent: u.parent < 0 ? -1 : u.parent + base, hunk: hi, from, to, removed, lead: leadingCloses(u.strict) };
      if (u.closes !== undefined) g.closes = u.closes < 0 ? -1 : u.closes + base;
      out.push(g);
    }
  });
  return out;
}

/**
 * The alignment of hunk units with library units: `match[u]` is the library unit of hunk unit u,
 * or -1. Code units by key (dynamic programming over pairs of equal keys), then the structure
 * check, then closing braces.
 */
export function align(hu: HUnit[], lib: Unit[]): { match: number[]; score: number } {
  const libLead = lib.map((u) => leadingCloses(u.strict));
  const byKey = new Map<string, number[]>();
  lib.forEach((u, j) => { if (!u.brace) byKey.set(u.key, [...(byKey.get(u.key) ?? []), j]); });
  const pairs: { u: number; j: number; score: number; prev: number }[] = [];
  // A statement the hunk cuts matches the library statement it begins or ends.
  const cutMatches = (u: HUnit): number[] => lib.flatMap((l, j) => !l.brace && (u.cut === 'start' ? l.key.endsWith(' ' + u.key) : l.key.startsWith(u.key + ' ')) ? [j] : []);
  hu.forEach((u, ui) => {
    if (u.brace) return;
    for (const j of [...(byKey.get(u.key) ?? []), ...(u.cut && !u.removed ? cutMatches(u) : [])]) {
      // A removed unit must agree on its braces: removing `if (x)` where the library has
      // `if (x) {` would leave the library's closing brace behind.
      if (u.removed && (u.opens !== lib[j]!.opens || u.lead !== libLead[j])) continue;
      pairs.push({ u: ui, j, score: 0, prev: -1 });
    }
  });
  let bestEnd = -1;
  for (let t = 0; t < pairs.length; t++) {
    const cur = pairs[t]!;
    cur.score = MATCH;
    for (let s = 0; s < t; s++) {
      const prev = pairs[s]!;
      if (prev.u >= cur.u || prev.j >= cur.j) continue;
      const a = hu[prev.u]!;
      const b = hu[cur.u]!;
      const cost = a.hunk === b.hunk ? Math.min(MAX_JUMP_COST, Math.abs((cur.j - prev.j) - (cur.u - prev.u))) : 0;
      const score = prev.score - cost + MATCH;
      if (score > cur.score) { cur.score = score; cur.prev = s; }
    }
    if (bestEnd < 0 || cur.score > pairs[bestEnd]!.score) bestEnd = t;
  }
  const match = hu.map(() => -1);
  const dpMatches: number[] = [];
  for (let t = bestEnd; t >= 0; t = pairs[t]!.prev) { match[pairs[t]!.u] = pairs[t]!.j; dpMatches.push(pairs[t]!.u); }
  // Structure: a unit inside a block whose head the hunk shows belongs in that head's block.
  hu.forEach((u, ui) => {
    // A lone `{` whose head the hunk does not show constrains nothing (its head is unknown).
    if (match[ui]! < 0 || u.parent < 0 || hu[u.parent]!.brace) return;
    const head = match[u.parent]!;
    if (head < 0 || lib[match[ui]!]!.parent !== head) match[ui] = -1;
  });
  // A lone `{` whose head lies before the hunk: the library head of its matched children's block.
  hu.forEach((u, ui) => {
    if (!u.brace || !u.opens || u.closes !== undefined) return;
    const child = hu.findIndex((v, vi) => v.parent === ui && match[vi]! >= 0);
    if (child >= 0) match[ui] = lib[match[child]!]!.parent;
  });
  // Closing braces by structure.
  const closerOf = new Map<number, number>();
  lib.forEach((u, j) => { if (u.closes !== undefined && u.closes >= 0) closerOf.set(u.closes, j); });
  hu.forEach((u, ui) => {
    if (!u.brace || u.closes === undefined) return;
    let j: number | undefined;
    if (u.closes >= 0) {
      const head = match[u.closes]!;
      j = head >= 0 ? closerOf.get(head) : undefined;
    } else {
      // The head lies before the hunk: the library brace after the last match that closes as
      // many levels as the hunk shows between that match and this brace.
      let p = ui - 1;
      while (p >= 0 && hu[p]!.hunk === u.hunk && match[p]! < 0) p--;
      if (p < 0 || hu[p]!.hunk !== u.hunk) return;
      const target = lib[match[p]!]!.depth - (hu[p]!.depth - u.depth);
      for (let k = match[p]! + 1; k < lib.length; k++) {
        if (lib[k]!.brace && lib[k]!.closes !== undefined && lib[k]!.depth === target) { j = k; break; }
        if (lib[k]!.depth < target) break;
      }
    }
    if (j !== undefined && lib[j]!.brace && (!u.removed || libLead[j] === u.lead)) match[ui] = j;
  });
  // Keep the matches in order (a closer found by structure must not jump over a later match).
  let last = -1;
  hu.forEach((_, ui) => {
    if (match[ui]! < 0) return;
    if (match[ui]! <= last) match[ui] = -1;
    else last = match[ui]!;
  });
  // The score of what was kept: the dynamic programming's, less the matches the checks undid.
  const undone = dpMatches.filter((ui) => match[ui]! < 0).length;
  return { match, score: bestEnd < 0 ? 0 : pairs[bestEnd]!.score - undone * MATCH };
}
