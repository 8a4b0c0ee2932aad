/**
 * C code pasted into mail text (not a diff), as in a reply that proposes a function. Two shapes
 * are found, both with `>` quote prefixes removed:
 *  - a function definition: a `type name(args)` header (possibly with the type on the line above
 *    and the arguments over several lines) followed by `{`, taken to its matching `}`;
 *  - a run of statements that holds a brace or an `if`/`while`/`for`/`switch` line.
 * A bare list of calls (pseudo-code in prose) is left out on purpose: it is not code to run.
 * Limits: brace matching skips comments, strings and character literals but not macros that hide
 * braces; lines longer than MAX_LINE are never code (keeps the regular expressions linear).
 */
import type { CodeBlock } from './document';

const MAX_LINE = 400;
const MAX_BODY = 3000;
const QUOTE_RE = /^(?:[ \t]*>[ ]?)+/;
const CONTROL = new Set(['if', 'while', 'for', 'switch', 'return', 'else', 'do', 'sizeof', 'case', 'goto', 'typeof']);
const TYPE_WORDS = new Set([
  'static', 'inline', 'extern', 'const', 'volatile', 'unsigned', 'signed', 'void', 'int', 'long', 'short',
  'char', 'struct', 'union', 'enum', 'bool', 'float', 'double', 'asmlinkage', 'fastcall', 'noinline',
]);
/** `type name(` or `type *name(` at the start of a line: the type is one or more words. */
const FUNC_START_RE = /^([A-Za-z_]\w*)(?:[ \t*]+[A-Za-z_]\w*)*[ \t*]+([A-Za-z_]\w*)[ \t]*\(/;
/** The name alone, `name(` (its type was on the line above). */
const NAME_START_RE = /^([A-Za-z_]\w*)[ \t]*\(/;
const TYPE_ONLY_RE = /^[A-Za-z_]\w*(?:[ \t*]+[A-Za-z_]\w*){0,3}[ \t*]*$/;

export interface Region {
  /** First and last line (inclusive) of text that may hold code. */
  from: number;
  to: number;
  message: number;
}

interface Stripped {
  text: string;
  character: number;
}

function strip(line: string): Stripped {
  const m = QUOTE_RE.exec(line);
  const k = m ? m[0].length : 0;
  return { text: line.slice(k), character: k };
}

function isTypeOnly(t: string): boolean {
  if (!TYPE_ONLY_RE.test(t)) return false;
  const first = /^[A-Za-z_]\w*/.exec(t)![0];
  return TYPE_WORDS.has(first) || /_t$/.test(first);
}

/** Counts `(` minus `)` and `{` minus `}` outside comments and literals; carries comment state. */
class Scanner {
  inComment = false;
  paren = 0;
  brace = 0;
  scan(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (this.inComment) {
        if (c === '*' && s[i + 1] === '/') { this.inComment = false; i++; }
        continue;
      }
      if (c === '/' && s[i + 1] === '*') { this.inComment = true; i++; }
      else if (c === '/' && s[i + 1] === '/') return;
      else if (c === '"' || c === "'") {
        // Skip the literal; an unterminated one ends at the end of the line.
        for (i++; i < s.length && s[i] !== c; i++) if (s[i] === '\\') i++;
      } else if (c === '(') this.paren++;
      else if (c === ')') this.paren--;
      else if (c === '{') this.brace++;
      else if (c === '}') this.brace--;
    }
  }
}

/** Text of a line with comments dropped, for shape tests (`... ) /* x *\/ {`). */
function noComments(t: string): string {
  return t.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '').trim();
}

/**
 * If a function definition starts at line `i`, returns its last line; else -1.
 * `get(k)` gives the quote-stripped text of line k or undefined outside the region.
 */
function functionAt(i: number, get: (k: number) => string | undefined): number {
  let t = get(i)!.trim();
  let head = i;
  let m = FUNC_START_RE.exec(t);
  if (m && (CONTROL.has(m[1]!) || CONTROL.has(m[2]!))) m = null;
  if (!m) {
    // Kernel style: `static int` on one line, `name(args)` on the next.
    const next = get(i + 1);
    if (!isTypeOnly(t) || next === undefined) return -1;
    const nm = NAME_START_RE.exec(next.trim());
    if (!nm || CONTROL.has(nm[1]!)) return -1;
    head = i + 1;
    t = next.trim();
  }
  // The argument list may run over a few lines; it must close before anything else follows.
  const sc = new Scanner();
  let k = head;
  let rest = '';
  for (;;) {
    const s = k === head ? t : get(k)?.trim();
    if (s === undefined || s.length > MAX_LINE || k - head > 8) return -1;
    const before = sc.paren;
    sc.scan(s);
    if (sc.paren <= 0 && (before > 0 || k === head)) {
      if (sc.paren < 0) return -1;
      rest = noComments(s.slice(s.lastIndexOf(')') + 1));
      break;
    }
    k++;
  }
  if (rest !== '' && rest !== '{') return -1;
  let open = k;
  if (rest === '') {
    const nx = get(k + 1);
    if (nx === undefined || !nx.trim().startsWith('{')) return -1;
    open = k + 1;
  }
  // Match braces from the opening line to the closing one.
  const body = new Scanner();
  for (let b = open; ; b++) {
    const s = get(b);
    // An unclosed body ends at the region's end, or after MAX_BODY lines so that many unclosed
    // headers cannot make the scan quadratic.
    if (s === undefined || b - open > MAX_BODY) return lastCodeLine(open, b - 1, get);
    body.scan(s);
    if (body.brace <= 0 && !body.inComment) return b;
  }
}

/** End of an unclosed function: before the first prose paragraph after it, blanks trimmed. */
function lastCodeLine(from: number, to: number, get: (k: number) => string | undefined): number {
  let end = to;
  for (let k = from + 1; k <= to; k++) {
    if (get(k - 1)!.trim() === '' && isProse(get(k)!)) { end = k - 1; break; }
  }
  while (end > from && get(end)!.trim() === '') end--;
  return end;
}

function isProse(t: string): boolean {
  const s = t.trim();
  return /^[A-Z][a-z']*(?: [A-Za-z',-]+){3,}/.test(s) && !/[;{}]$/.test(s);
}

/** A line that can belong to a statement run. */
function isStatementish(t: string): 'brace' | 'control' | 'stmt' | 'comment' | undefined {
  const s = noComments(t);
  const raw = t.trim();
  if (raw.startsWith('/*') || raw.startsWith('*') || raw.startsWith('//')) return 'comment';
  if (s === '') return undefined;
  if (/^(?:[{}]|\}\s*else\b.*\{?$|\};?$)/.test(s)) return 'brace';
  if (/^(?:if|while|for|switch)\s*\(/.test(s) || /^(?:else|do)\b/.test(s)) return 'control';
  if (s.endsWith(';') && /[(=]|->/.test(s) && !/[.?!] [A-Z]/.test(s)) return 'stmt';
  if (s.endsWith('{') && /[()]/.test(s)) return 'control';
  return undefined;
}

/** Finds the code blocks of the given regions (quote prefixes removed, positions kept). */
export function findCodeBlocks(lines: readonly string[], regions: readonly Region[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const r of regions) {
    const cache = new Map<number, Stripped>();
    const at = (k: number): Stripped | undefined => {
      if (k < r.from || k > r.to) return undefined;
      let v = cache.get(k);
      if (!v) { v = strip(lines[k]!); cache.set(k, v); }
      return v;
    };
    const get = (k: number): string | undefined => at(k)?.text;
    const emit = (from: number, to: number): void => {
      const ls = [];
      for (let k = from; k <= to; k++) { const v = at(k)!; ls.push({ text: v.text, line: k, character: v.character }); }
      const first = ls[0]!;
      const last = ls[ls.length - 1]!;
      blocks.push({ lines: ls, message: r.message, range: { start: { line: first.line, character: first.character }, end: { line: last.line, character: lines[last.line]!.length } } });
    };
    let i = r.from;
    while (i <= r.to) {
      const t = get(i)!;
      if (t.length > MAX_LINE || t.trim() === '') { i++; continue; }
      const end = /^\s*[A-Za-z_]/.test(t) ? functionAt(i, get) : -1;
      if (end >= i) { emit(i, end); i = end + 1; continue; }
      // Statement run: consecutive statement-like lines with at least one brace or control line.
      let k = i;
      let strong = false;
      let count = 0;
      while (k <= r.to) {
        const s = get(k)!;
        if (s.length > MAX_LINE) break;
        const kind = isStatementish(s);
        if (!kind || (kind === 'comment' && k === i)) break;
        if (kind === 'brace' || kind === 'control') strong = true;
        if (kind !== 'comment') count++;
        k++;
      }
      if (strong && count >= 2) { emit(i, k - 1); i = k; continue; }
      i = Math.max(i + 1, k);
    }
  }
  return blocks;
}
