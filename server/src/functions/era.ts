/**
 * Which era library a patch was written against (DESIGN section 4): per mail of an mbox (all of
 * a plain diff together), the era whose library holds the most of the pre-image's code lines
 * (context and removed lines of every hunk), compared by `codeKeys` so whitespace, comments and
 * a line's leading `}` / trailing `{` do not matter. Ties go to the era whose library defines
 * more of the functions the hunks' `@@` hints name, then to the newer era. A line counts once
 * per occurrence in the patch, whether the library holds it once or many times.
 *
 * Code pasted into a mail has no pre-image: it gets the era whose library version of the same
 * function shares the most code lines with it (in order), relative to the longer of the two.
 *
 * Library functions are read through the library loader, which parses C: without a ready parser
 * nothing is chosen (no era, so no splicing), rather than throwing.
 */
import { parserReady } from '../c/parser';
import type { PatchDocument } from '../intake/types';
import { eras, libraryFunctions, librarySource, type LibraryFunction } from '../model/library/index';
import { hintName } from './pieces';
import { codeKeys, commonLines } from './splice';

const keyCache = new Map<string, Set<string>>();

/** The code keys of every line of an era's library. */
function libraryKeys(era: string): Set<string> {
  let set = keyCache.get(era);
  if (!set) {
    set = new Set();
    for (const f of librarySource(era)) for (const k of codeKeys(f.text.split('\n'))) if (k.key !== '') set.add(k.key);
    keyCache.set(era, set);
  }
  return set;
}

/** An era's library functions; empty when the parser is not ready or the library cannot be read. */
export function eraFunctions(era: string): Map<string, LibraryFunction> {
  if (!parserReady()) return new Map();
  try {
    return libraryFunctions(era);
  } catch {
    return new Map();
  }
}

function newerFirst(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pb[i] ?? 0) - (pa[i] ?? 0);
  return 0;
}

/**
 * Ranks eras for pre-image lines (given per hunk, so comment state is followed within a hunk),
 * best first; `names` are function names the patch mentions, for ties.
 */
export function rankEras(hunks: string[][], names: string[] = []): { era: string; score: number }[] {
  const keys = hunks.flatMap((h) => codeKeys(h).map((k) => k.key)).filter((k) => k !== '');
  let scored: { era: string; score: number; defined: number }[];
  try {
    scored = eras().map((era) => {
      const lib = libraryKeys(era);
      const fns = eraFunctions(era);
      return { era, score: keys.filter((k) => lib.has(k)).length, defined: names.filter((n) => fns.has(n)).length };
    });
  } catch {
    return []; // an unreadable library: no era rather than an exception
  }
  scored.sort((a, b) => b.score - a.score || b.defined - a.defined || newerFirst(a.era, b.era));
  return scored.map(({ era, score }) => ({ era, score }));
}

/** The era of each mail of the document (-1: the document outside mails), where any line matched. */
export function messageEras(doc: PatchDocument): Map<number, string> {
  const byMessage = new Map<number, { hunks: string[][]; names: string[] }>();
  for (const f of doc.files) {
    if (f.binary) continue;
    const entry = byMessage.get(f.message) ?? { hunks: [], names: [] };
    for (const h of f.hunks) {
      entry.hunks.push(h.lines.filter((l) => l.kind !== '+').map((l) => l.text));
      const n = hintName(h.section);
      if (n) entry.names.push(n);
    }
    byMessage.set(f.message, entry);
  }
  const out = new Map<number, string>();
  for (const [message, { hunks, names }] of byMessage) {
    const best = rankEras(hunks, names)[0];
    if (best && best.score > 0) out.set(message, best.era);
  }
  return out;
}

/** The era whose library version of `name` is most like `text` (pasted code); ties: newer. */
export function presentEra(name: string, text: string): string | undefined {
  let all: string[];
  try { all = eras(); } catch { return undefined; }
  const mine = codeKeys(text.split('\n')).map((k) => k.key).filter((k) => k !== '');
  let best: { era: string; score: number } | undefined;
  for (const era of [...all].sort(newerFirst)) {
    const fn = eraFunctions(era).get(name);
    if (!fn) continue;
    const theirs = codeKeys(fn.text.split('\n')).map((k) => k.key).filter((k) => k !== '');
    const score = commonLines(mine, theirs) / Math.max(mine.length, theirs.length, 1);
    if (!best || score > best.score) best = { era, score };
  }
  return best && best.score > 0 ? best.era : undefined;
}
