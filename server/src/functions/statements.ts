/**
 * Statements of a run of C lines, for placement (DESIGN section 4): the lines are cut into
 * statement units and each unit gets a normalised key and its place in the block structure.
 *
 * A unit is the lines of one statement or block head: it ends on a line whose last token is `;`,
 * `{`, `}` or `:` outside parentheses, on a control head's closing `)` (so `if (x)` and its
 * body are two units), on `else` or `do`, and a line that is only `{` joins the head before it
 * (`name(...)` + `{` is one unit, as `if (x) {` is). Preprocessor lines are units of their own,
 * compared by their text. Lines without code (blank, comment) belong to no unit, unless a
 * statement continues across them.
 *
 * Keys ignore whitespace, comments, string contents, a leading `}` and a trailing `{` (so
 * `} else {` is `else` and `if (x) {` equals `if (x)`), `likely()`/`unlikely()` wrappers and
 * casts to a type spelled with a type keyword, `*` or a `_t` name. `strict` keeps every token.
 * Limits: local renames are not undone; several statements on one line are one unit; a brace
 * inside a unit that neither opens nor closes it at its end is not followed.
 */
import { isIdentifier, scanLines, type ScanToken } from './scan';

export interface Unit {
  /** First and last line index of the unit in the lines given. */
  first: number;
  last: number;
  /** Normalised tokens; '' for a unit made of braces only. */
  key: string;
  strict: string;
  /** Only braces (`}`, `{`, `};`): placed by structure, never by key. */
  brace: boolean;
  /** Index of the unit whose block holds this one; -1 when that opening lies before the lines. */
  parent: number;
  /** The unit ends by opening a block. */
  opens: boolean;
  /** For a unit that starts with `}`: the unit that opened the block it closes (-1: not shown). */
  closes?: number;
  /** Block depth after the unit, counted from the start of the lines (may go below 0). */
  depth: number;
  /** The lines cut the statement: they start after its beginning (`start`, an unopened `)`)
   *  or end before its end (`end`): its key is only a suffix or a prefix of the statement's. */
  cut?: 'start' | 'end';
}

const TYPE_WORDS = new Set(['unsigned', 'signed', 'long', 'int', 'short', 'char', 'void', 'struct', 'union', 'const', 'volatile', 'loff_t', 'size_t', 'pgoff_t']);

/** Whether tokens[a..b) spell a type for a cast: `(unsigned long)`, `(struct page *)`, `(pgoff_t)`. */
function isCastType(ts: string[], a: number, b: number): boolean {
  if (b <= a) return false;
  let typed = false;
  for (let i = a; i < b; i++) {
    const t = ts[i]!;
    if (t === '*') { typed = true; continue; }
    if (!isIdentifier(t)) return false;
    if (TYPE_WORDS.has(t) || /_t$/.test(t)) typed = true;
  }
  return typed;
}

/** The tokens with `likely(`…`)` / `unlikely(`…`)` unwrapped and casts dropped. */
export function normalise(ts: string[]): string[] {
  const out: string[] = [];
  const dropClose: number[] = []; // paren depths whose `)` is dropped
  let depth = 0;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if ((t === 'likely' || t === 'unlikely') && ts[i + 1] === '(') {
      dropClose.push(depth);
      depth++;
      i++;
      continue;
    }
    if (t === '(') {
      const close = ts.indexOf(')', i + 1);
      const next = ts[close + 1];
      if (close > i && next !== undefined && (isIdentifier(next) || next === '(') && isCastType(ts, i + 1, close)) {
        i = close;
        continue;
      }
      depth++;
      out.push(t);
      continue;
    }
    if (t === ')') {
      depth--;
      if (dropClose[dropClose.length - 1] === depth) { dropClose.pop(); continue; }
    }
    out.push(t);
  }
  return out;
}

const HEAD_END = new Set(['else', 'do']);

/** Cuts `lines` into statement units (see the file comment). */
export function statementUnits(lines: string[]): Unit[] {
  const scan = scanLines(lines);
  const byLine: ScanToken[][] = lines.map(() => []);
  for (const t of scan.tokens) byLine[t.line]!.push(t);
  const units: Unit[] = [];
  const stack: number[] = [];
  let depth = 0;
  let cur: { first: number; last: number; toks: string[] } | undefined;
  let paren = 0;
  let joinBrace = -1; // a head unit that a following lone `{` line joins

  const finish = (u: { first: number; last: number; toks: string[] }, byText?: string, cutEnd = false) => {
    const ts = u.toks;
    let bal = 0;
    let cutStart = false;
    for (const t of ts) {
      if (t === '(') bal++;
      else if (t === ')' && --bal < 0) { cutStart = true; bal = 0; }
    }
    let a = 0;
    let b = ts.length;
    while (a < b && ts[a] === '}') a++;
    while (b > a && ts[b - 1] === '{') b--;
    const inner = ts.slice(a, b).filter((t) => t !== ';');
    const brace = byText === undefined && inner.length === 0;
    const key = byText ?? (brace ? '' : normalise(ts.slice(a, b)).join(' '));
    const index = units.length;
    let closes: number | undefined;
    for (let k = 0; k < a; k++) {
      closes = stack.length ? stack.pop()! : -1;
      depth--;
    }
    const opens = b < ts.length;
    const unit: Unit = { first: u.first, last: u.last, key, strict: byText ?? ts.join(' '), brace, parent: stack.length ? stack[stack.length - 1]! : -1, opens, depth };
    if (closes !== undefined) unit.closes = closes;
    if (cutStart) unit.cut = 'start';
    else if (cutEnd) unit.cut = 'end';
    if (opens) { stack.push(index); depth++; unit.depth = depth; }
    units.push(unit);
  };

  for (let li = 0; li < lines.length; li++) {
    const toks = byLine[li]!;
    if (toks.length === 0) {
      if (scan.hasCode[li] && !cur) { finish({ first: li, last: li, toks: [] }, (lines[li] ?? '').replace(/\s+/g, ' ').trim()); joinBrace = -1; }
      continue;
    }
    // A lone `{` after a head: one unit with the head (the head has not opened yet).
    if (!cur && joinBrace >= 0 && toks.length === 1 && toks[0]!.text === '{') {
      const head = units[joinBrace]!;
      head.last = li;
      head.strict += ' {';
      head.opens = true;
      stack.push(joinBrace);
      depth++;
      head.depth = depth;
      joinBrace = -1;
      continue;
    }
    joinBrace = -1;
    cur ??= { first: li, last: li, toks: [] };
    cur.last = li;
    for (const t of toks) {
      cur.toks.push(t.text);
      if (t.text === '(') paren++;
      else if (t.text === ')') paren = Math.max(0, paren - 1);
    }
    const end = toks[toks.length - 1]!.text;
    if (paren > 0) continue;
    if (end === ';' || end === '{' || end === '}' || end === ':') { finish(cur); cur = undefined; }
    else if (end === ')' || HEAD_END.has(end)) { finish(cur); cur = undefined; joinBrace = units.length - 1; }
  }
  if (cur) finish(cur, undefined, true);
  return units;
}
