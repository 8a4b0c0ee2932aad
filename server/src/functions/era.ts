/**
 * The one era chooser (DESIGN section 4): which era library a message was written against.
 *
 * Per mail of an mbox (all of a plain diff together), the era whose library holds the most of the
 * pre-image's code lines (context and removed lines of every hunk), compared by `codeKeys` so
 * whitespace, comments and a line's leading `}` / trailing `{` do not matter. A line counts once
 * per occurrence in the patch, whether the library holds it once or many times. Since eras are
 * layers, a function no release changed is the same text in several eras, and such ties are
 * broken, in this order, by:
 *   0. how few of the functions the patch adds whole the era already defines: a patch is not
 *      written against a tree that has its change, so a release that took it in (2.6.20's
 *      do_launder_page) is not the one the patch applies to;
 *   1. how many of the functions the hunks' `@@` hints name the era defines;
 *   2. a version the message states: a `linux-2.6.17.13.orig/` path, or "2.6.18.1" in the
 *      subject, chooses the newest tied era not after that version (an `-rc` counts as its
 *      release: -rc code is the release being made);
 *   3. the message's date (its `Date:` header, else a diff header's timestamp): the tied era
 *      released nearest to it, since patches are written against the tree of their day (a layer
 *      whose `layer.json` gave no date would lose every tie that a stated version does not
 *      decide; every layer has one);
 *   4. the newer era.
 *
 * A series applies to one tree: a mail of an mbox that changes a function an earlier mail changed
 * (by its hunks' `@@` hints) takes that mail's era instead, whatever its own context ties, so that
 * it is placed into what the earlier mail wrote. Limit: hunks without `@@` hints (an hg export)
 * are chosen alone.
 *
 * Code pasted into a mail has no pre-image: it gets the era whose library version of the same
 * function shares the most code lines with it (in order), relative to the longer of the two.
 *
 * Library functions are read through the loader, which parses C: without a ready parser nothing
 * is chosen (no era, so no splicing), rather than throwing.
 */
import { parserReady } from '../c/parser';
import { hintName } from './pieces';
import { isIdentifier, isKeyword, scanLines } from './scan';
import { codeKeys, commonLines } from './splice';
import type { PatchFunction } from './patch-function';
import type { PatchDocument } from '../intake/document';
import { compareEras, eras, layerInfo, libraryFunctions, type LibraryFunction } from '../model/library/index';
import { appendAll } from '../arrays';

/** What a message says about its kernel besides its code. */
export interface EraHints {
  /** Kernel versions the message names (paths, subject), e.g. `2.6.17.13`. */
  versions: string[];
  /** Milliseconds since the epoch: the message's date, or a diff header's timestamp. */
  date?: number;
}

const keyCache = new Map<string, Set<string>>();

/** The code keys of every line of an era's library functions. */
function libraryKeys(era: string): Set<string> {
  let set = keyCache.get(era);
  if (!set) {
    set = new Set();
    for (const f of eraFunctions(era).values()) for (const k of functionKeys(f)) set.add(k);
    if (parserReady()) keyCache.set(era, set); // before that the functions are not known yet
  }
  return set;
}

/**
 * A library function's non-empty code keys. Eras are layers: a function no release changed is
 * the same object in every era after its layer's, so its keys are computed once, not once per
 * era (the chooser asks about every era).
 */
const functionKeyCache = new WeakMap<LibraryFunction, string[]>();
function functionKeys(f: LibraryFunction): string[] {
  let keys = functionKeyCache.get(f);
  if (!keys) {
    keys = codeKeys(f.text.split('\n')).map((k) => k.key).filter((k) => k !== '');
    functionKeyCache.set(f, keys);
  }
  return keys;
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

const DAY = 86_400_000;

/** The order hints give among tied eras: negative when `a` fits the hints better than `b`. */
function byHints(a: string, b: string, hints: EraHints): number {
  const version = hints.versions.length > 0 ? hints.versions.reduce((x, y) => (compareEras(x, y) >= 0 ? x : y)) : undefined;
  if (version !== undefined) {
    const fits = (e: string) => compareEras(e, version) <= 0;
    if (fits(a) !== fits(b)) return fits(a) ? -1 : 1;
  }
  // An undated layer (one kept for a single change, README.md) is chosen by its text or a stated
  // version only: never by a date, nor as the newer of two eras.
  const dated = (e: string) => !Number.isNaN(Date.parse(layerInfo(e).date));
  if (dated(a) !== dated(b)) return dated(a) ? -1 : 1;
  if (hints.date !== undefined) {
    const distance = (e: string) => {
      const d = Date.parse(layerInfo(e).date);
      return Number.isNaN(d) ? Infinity : Math.floor(Math.abs(d - hints.date!) / DAY);
    };
    const dd = distance(a) - distance(b);
    if (dd !== 0 && Number.isFinite(dd)) return dd;
  }
  return compareEras(b, a);
}

/**
 * Ranks eras for pre-image lines (given per hunk, so comment state is followed within a hunk),
 * best first; `names` are function names the patch mentions, for ties, then the hints.
 */
export function rankEras(hunks: string[][], names: string[] = [], hints: EraHints = { versions: [] }, added: string[] = []): { era: string; score: number }[] {
  const keys = hunks.flatMap((h) => codeKeys(h).map((k) => k.key)).filter((k) => k !== '');
  let scored: { era: string; score: number; already: number; defined: number }[];
  try {
    scored = eras().map((era) => {
      const lib = libraryKeys(era);
      const fns = eraFunctions(era);
      return {
        era, score: keys.filter((k) => lib.has(k)).length,
        already: added.filter((n) => fns.has(n)).length, defined: names.filter((n) => fns.has(n)).length,
      };
    });
  } catch {
    return []; // an unreadable library: no era rather than an exception
  }
  scored.sort((a, b) => b.score - a.score || a.already - b.already || b.defined - a.defined || byHints(a.era, b.era, hints));
  return scored.map(({ era, score }) => ({ era, score }));
}

const VERSION = /\b(?:linux-)?(2\.[4-6]\.\d+(?:\.\d+)?)(?:-rc\d+)?/g;

/** A version written in `text` (`2.6.18.1`, `linux-2.6.17.13.orig`), each once. */
function versionsIn(text: string): string[] {
  return [...text.matchAll(VERSION)].map((m) => m[1]!);
}

/** The date a text states, parsed; undefined when it states none that parses. */
function dateOf(text: string): number | undefined {
  const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text);
  const t = Date.parse(iso ? iso[1]! : text.trim());
  return Number.isNaN(t) ? undefined : t;
}

/** The hints of one message (-1: the document outside mails): subject, paths, dates. */
export function messageHints(doc: PatchDocument, message: number): EraHints {
  const versions: string[] = [];
  let date: number | undefined;
  const mail = doc.messages[message];
  if (mail?.subject) appendAll(versions, versionsIn(mail.subject));
  if (mail?.date) date = dateOf(mail.date);
  for (const f of doc.files) {
    if (f.message !== message) continue;
    // The file section's header lines (`diff`, `---`, `+++`): paths and timestamps.
    const end = f.hunks[0]?.line ?? f.range.end.line + 1;
    for (let l = f.line; l < end; l++) {
      const text = doc.lines[l] ?? '';
      if (!/^(diff |--- |\+\+\+ )/.test(text)) continue;
      const path = text.replace(/^(diff \S+|---|\+\+\+)\s+/, '').split(/\s/)[0] ?? '';
      appendAll(versions, versionsIn(path));
      const stamp = text.split('\t').slice(1).join('\t');
      if (date === undefined && /^(---|\+\+\+) /.test(text) && stamp) date = dateOf(stamp);
    }
  }
  return date === undefined ? { versions } : { versions, date };
}

/**
 * The functions that added lines define: a name at column 0 followed by its parameter list and
 * an opening brace (kernel style puts a definition's name, or its return type, at column 0; a
 * macro call in a body is indented). A name on the line below its return type counts too.
 */
export function definedIn(lines: string[]): string[] {
  const { tokens } = scanLines(lines);
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isIdentifier(t.text) || isKeyword(t.text) || tokens[i + 1]!.text !== '(') continue;
    if (!/^\S/.test(lines[t.line] ?? '')) continue;
    let depth = 0;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      if (tokens[j]!.text === '(') depth++;
      else if (tokens[j]!.text === ')' && --depth === 0) break;
    }
    if (tokens[j + 1]?.text === '{' && !out.includes(t.text)) out.push(t.text);
  }
  return out;
}

/** The era of each mail of the document (-1: the document outside mails), where any line matched. */
export function messageEras(doc: PatchDocument): Map<number, string> {
  const byMessage = new Map<number, { hunks: string[][]; names: string[]; added: string[] }>();
  for (const f of doc.files) {
    if (f.binary) continue;
    const entry = byMessage.get(f.message) ?? { hunks: [], names: [], added: [] };
    for (const h of f.hunks) {
      entry.hunks.push(h.lines.filter((l) => l.kind !== '+').map((l) => l.text));
      appendAll(entry.added, definedIn(h.lines.filter((l) => l.kind === '+').map((l) => l.text)));
      const n = hintName(h.section);
      if (n) entry.names.push(n);
    }
    byMessage.set(f.message, entry);
  }
  const out = new Map<number, string>();
  // A series applies to one tree (DESIGN section 4): a message that changes a function an earlier
  // message of the mailbox changed takes that message's era, so that its hunks are placed into
  // what the earlier one wrote (its own context may tie eras the earlier code ruled out).
  const eraOfName = new Map<string, string>();
  for (const [message, { hunks, names, added }] of [...byMessage].sort((a, b) => a[0] - b[0])) {
    const follows = message >= 0 ? names.map((n) => eraOfName.get(n)).find((e) => e !== undefined) : undefined;
    const ranked = follows === undefined ? rankEras(hunks, names, messageHints(doc, message), added)[0] : undefined;
    const best = follows ?? (ranked && ranked.score > 0 ? ranked.era : undefined);
    if (best === undefined) continue;
    out.set(message, best);
    if (message >= 0) for (const n of names) if (!eraOfName.has(n)) eraOfName.set(n, best);
  }
  return out;
}

/** The era whose library version of `name` is most like `text` (pasted code); ties: newer. */
export function presentEra(name: string, text: string): string | undefined {
  let all: string[];
  try { all = eras(); } catch { return undefined; }
  const mine = codeKeys(text.split('\n')).map((k) => k.key).filter((k) => k !== '');
  let best: { era: string; score: number } | undefined;
  for (const era of [...all].sort((a, b) => compareEras(b, a))) {
    const fn = eraFunctions(era).get(name);
    if (!fn) continue;
    const theirs = codeKeys(fn.text.split('\n')).map((k) => k.key).filter((k) => k !== '');
    const score = commonLines(mine, theirs) / Math.max(mine.length, theirs.length, 1);
    if (!best || score > best.score) best = { era, score };
  }
  return best && best.score > 0 ? best.era : undefined;
}

/**
 * The era one message's functions run on: the one extraction chose (`fn.era`, set from
 * `messageEras` or `presentEra`); when no line of the message matched any library, the era its
 * hints point to, else the newest.
 */
export function chooseEra(doc: PatchDocument, fns: readonly PatchFunction[]): string | undefined {
  const set = fns.find((f) => f.era)?.era;
  if (set) return set;
  const message = fns[0]?.message ?? -1;
  const hints = messageHints(doc, message);
  return eras().sort((a, b) => byHints(a, b, hints))[0];
}
