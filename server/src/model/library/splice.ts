/**
 * Splicing hunks into a library function (DESIGN section 4, step 2): when a patch does not hold
 * a function whole, its hunks are applied to the library's body of that function. Each hunk's
 * pre-image code lines (context and removed, blank and comment lines aside) are aligned with
 * consecutive code lines of the library body by normalised text; the aligned stretch is then
 * replaced by the hunk's own lines with the removed ones dropped, grown over the braces and blank
 * lines the two share so that added lines land on the right side of them. Like patch(1), a hunk may lose
 * up to three context lines at either end (fuzz) when the library words them differently.
 */
import type { CText } from '../../functions/types';
import { isSignificant, normaliseLine } from './index';

export interface SpliceLine {
  kind: ' ' | '-' | '+';
  text: string;
  /** Document line; the text starts at `character` (1 by default, after the diff marker). */
  line: number;
  character?: number;
}

export type SpliceResult =
  | { ok: true; pre: CText; post: CText }
  | { ok: false; problem: string; hunk: number };

const MAX_FUZZ = 3;

interface Out { text: string; line: number; character: number }

/** Applies `hunks` (in file order) to a library function's text. */
export function spliceHunks(fn: { text: string; file: string }, hunks: SpliceLine[][]): SpliceResult {
  const lib = fn.text.replace(/\n$/, '').split('\n');
  const libCode: number[] = [];
  lib.forEach((l, i) => { if (isSignificant(normaliseLine(l))) libCode.push(i); });
  const pre: Out[] = [];
  const post: Out[] = [];
  let libPos = 0; // next library line not yet copied
  let codePos = 0; // index into libCode where the next hunk may start
  const copyLibrary = (upTo: number) => {
    for (; libPos < upTo; libPos++) {
      const o = { text: lib[libPos], line: -1, character: 0 };
      pre.push(o); post.push(o);
    }
  };
  for (let h = 0; h < hunks.length; h++) {
    const hunk = hunks[h];
    const placed = place(hunk, lib, libCode, codePos);
    if (!placed) return { ok: false, problem: `hunk ${h + 1}: its context does not match the library's ${fn.file} body`, hunk: h };
    const { first, last, libFirst, libLast } = placed;
    copyLibrary(libFirst);
    for (let i = 0; i < hunk.length; i++) {
      const l = hunk[i];
      const inside = i >= first && i <= last;
      // Outside the aligned stretch only added code is taken (added comments there could be
      // cut off from their opening); unaligned context stays the library's.
      if (!inside && (l.kind !== '+' || !isSignificant(normaliseLine(l.text)))) continue;
      const o = { text: l.text, line: l.line, character: l.character ?? 1 };
      if (l.kind !== '+') pre.push(o);
      if (l.kind !== '-') post.push(o);
    }
    libPos = libLast + 1;
    codePos = libCode.indexOf(libLast) + 1;
  }
  copyLibrary(lib.length);
  const source = { kind: 'library' as const, file: fn.file };
  const ctext = (lines: Out[]): CText => ({
    text: lines.map((l) => l.text).join('\n') + '\n',
    map: lines.map((l) => ({ line: l.line, character: l.character })),
    source,
  });
  return { ok: true, pre: ctext(pre), post: ctext(post) };
}

/**
 * Where a hunk goes: the range of its lines that align (`first`..`last`, hunk indexes) and the
 * library lines they replace (`libFirst`..`libLast`). Tries no fuzz first, then trims up to
 * MAX_FUZZ context lines at each end; removed lines are never trimmed.
 */
function place(hunk: SpliceLine[], lib: string[], libCode: number[], from: number):
  { first: number; last: number; libFirst: number; libLast: number } | undefined {
  const code = hunk.map((l, i) => ({ i, kind: l.kind, norm: normaliseLine(l.text) }))
    .filter((l) => l.kind !== '+' && isSignificant(l.norm));
  for (let fuzz = 0; fuzz <= MAX_FUZZ; fuzz++) {
    for (let lead = 0; lead <= fuzz; lead++) {
      const trail = fuzz - lead;
      if (!trimmable(code, lead, trail)) continue;
      const seq = code.slice(lead, code.length - trail);
      if (seq.length === 0) continue;
      for (let k = from; k + seq.length <= libCode.length; k++) {
        if (seq.every((s, j) => normaliseLine(lib[libCode[k + j]]) === s.norm)) {
          return extend(hunk, lib, seq[0].i, seq[seq.length - 1].i, libCode[k], libCode[k + seq.length - 1]);
        }
      }
    }
  }
  return undefined;
}

function trimmable(code: { kind: string }[], lead: number, trail: number): boolean {
  for (let j = 0; j < lead; j++) if (code[j]?.kind !== ' ') return false;
  for (let j = 0; j < trail; j++) if (code[code.length - 1 - j]?.kind !== ' ') return false;
  return lead + trail < code.length;
}

/**
 * Grows an aligned stretch over the neighbouring pre-image lines that equal the library's
 * neighbouring lines (closing braces, blank lines, comments the library shares), taking the
 * additions in between along, so that added lines land on the right side of those lines.
 */
function extend(hunk: SpliceLine[], lib: string[], first: number, last: number, libFirst: number, libLast: number):
  { first: number; last: number; libFirst: number; libLast: number } {
  for (;;) {
    let j = last + 1;
    while (j < hunk.length && hunk[j].kind === '+') j++;
    if (j >= hunk.length || libLast + 1 >= lib.length || normaliseLine(hunk[j].text) !== normaliseLine(lib[libLast + 1])) break;
    last = j; libLast++;
  }
  for (;;) {
    let j = first - 1;
    while (j >= 0 && hunk[j].kind === '+') j--;
    if (j < 0 || libFirst - 1 < 0 || normaliseLine(hunk[j].text) !== normaliseLine(lib[libFirst - 1])) break;
    first = j; libFirst--;
  }
  return { first, last, libFirst, libLast };
}
