/**
 * The shape of one side (pre or post) of one hunk: which runs of its lines belong to a function
 * definition, whether that definition began before the hunk or goes on after it, and whether the
 * hunk changed code (not just comments) inside it. Names come from the code; a hunk that starts
 * inside a definition cannot see the name, and `extract.ts` fills it in (previous hunk, or the
 * `@@` section hint as a last resort).
 *
 * Limits: braces inside macros that are not balanced, and K&R parameter declarations, confuse the
 * scan; such hunks come out as fragments or as nothing.
 */
import { isIdentifier, isKeyword, scanLines, type ScanToken } from './scan';

export interface SideLine {
  text: string;
  /** Document line and character where `text` starts. */
  line: number;
  character: number;
  changed: boolean;
}

export interface Piece {
  /** Name read from the signature in the hunk; undefined when the signature lies before it. */
  name?: string;
  /** 'function' for a definition; 'open' when the hunk starts inside braces that it never closes,
   *  so nothing in the hunk says whether they are a function body or a struct/initialiser. */
  kind: 'function' | 'open';
  startsOpen: boolean;
  endsOpen: boolean;
  /** Indexes of the first and last line of the piece in the side's lines. */
  first: number;
  last: number;
  /** A changed line holding code (not only comment) lies inside the piece. */
  touched: boolean;
  /** Some changed line inside reads as a statement rather than a declaration (see `looksLikeStatement`). */
  statements: boolean;
}

const STATEMENT_KEYWORDS = new Set(['if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'return', 'break', 'continue', 'goto']);

/**
 * Whether a line's tokens read as a statement (a call, an assignment, a control keyword) rather
 * than a declaration or a designated initialiser. Only used when a hunk starts inside braces that
 * neither the code nor the section hint identify.
 */
function looksLikeStatement(toks: ScanToken[]): boolean {
  const [a, b] = toks;
  if (!a) return false;
  if (STATEMENT_KEYWORDS.has(a.text)) return true;
  if (a.text === '.' || a.text === '}') return false;
  if (a.text === '*' || a.text === '+' || a.text === '-' || a.text === '(') return true;
  if (isIdentifier(a.text) && !isKeyword(a.text) && b) return ['(', '=', '-', '.', '[', '+', '|', '&', '^', '<', '>', '/', '%'].includes(b.text);
  return false;
}

/** Splits one side of a hunk into function pieces. */
export function findPieces(lines: SideLine[]): Piece[] {
  const scan = scanLines(lines.map((l) => l.text));
  const toks = scan.tokens;
  // Depth at which the hunk starts: the deepest unmatched closing brace.
  let rel = 0;
  let min = 0;
  for (const t of toks) {
    if (t.text === '{') rel++;
    else if (t.text === '}') { rel--; min = Math.min(min, rel); }
  }
  const pieces: Piece[] = [];
  let depth = startDepth(toks, -min);
  let paren = 0;
  let head: ScanToken[] = [];
  let headOpen = false; // the head began before the hunk (inside a parameter list)
  let current: { name?: string; startsOpen: boolean; first: number; kind: Piece['kind'] } | undefined =
    depth > 0 ? { startsOpen: true, first: 0, kind: 'open' } : undefined;

  const close = (last: number, endsOpen: boolean, kind: Piece['kind']) => {
    if (!current) return;
    pieces.push({ name: current.name, kind, startsOpen: current.startsOpen, endsOpen, first: current.first, last, touched: false, statements: false });
    current = undefined;
  };

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (depth === 0) {
      if (t.text === '(') paren++;
      else if (t.text === ')') { paren--; if (paren < 0) { headOpen = true; paren = 0; } }
      if (t.text === '{' && paren === 0) {
        const prev = head[head.length - 1];
        const isFn = prev?.text === ')' && !head.some((h) => h.text === '=');
        // A hunk that opens on a lone `{` in column 0 starts at a function body whose signature
        // is the line before it (kernel style: structs and initialisers open on their own line).
        if (!isFn && i === 0 && t.col === 0 && toks[1]?.line !== t.line) {
          current = { startsOpen: true, first: 0, kind: 'function' };
          head = [];
          headOpen = false;
          depth = 1;
          continue;
        }
        if (isFn) {
          const name = functionName(head);
          current = { name, startsOpen: headOpen || name === undefined, first: headOpen || name === undefined ? 0 : headFirstLine(head), kind: 'function' };
        } else {
          current = undefined;
        }
        head = [];
        headOpen = false;
        depth = 1;
        continue;
      }
      if (t.text === ';' && paren === 0) { head = []; headOpen = false; continue; }
      head.push(t);
      continue;
    }
    if (t.text === '{') depth++;
    else if (t.text === '}') {
      depth--;
      if (depth === 0) {
        const nextTok = toks[i + 1];
        // `};` or `},` closes a struct or an initialiser, not a function body.
        const kind = current?.kind === 'open' && nextTok && (nextTok.text === ';' || nextTok.text === ',') ? undefined : 'function';
        if (kind) close(t.line, false, kind);
        else current = undefined;
      }
    }
  }
  if (depth > 0) close(lines.length - 1, true, current?.kind ?? 'open');
  else if (head.length > 0 && (headOpen || head.some((h) => h.text === '(')) && !head.some((h) => h.text === '=')) {
    // A signature that the hunk cuts off before its body.
    const name = functionName(head);
    if (name !== undefined || headOpen) {
      current = { name, startsOpen: headOpen || name === undefined, first: headOpen || name === undefined ? 0 : headFirstLine(head), kind: 'function' };
      close(lines.length - 1, true, 'function');
    }
  }

  // Tokens grouped by line once: filtering all tokens for every changed line was quadratic and
  // took seconds on a hunk of a few thousand lines (fuzz fixture deep-blocks-3000.patch).
  const byLine = new Map<number, ScanToken[]>();
  for (const t of toks) {
    const on = byLine.get(t.line);
    if (on) on.push(t); else byLine.set(t.line, [t]);
  }
  for (const p of pieces) {
    for (let li = p.first; li <= p.last; li++) {
      const l = lines[li];
      if (!l?.changed || !scan.hasCode[li]) continue;
      p.touched = true;
      if (looksLikeStatement(byLine.get(li) ?? [])) p.statements = true;
    }
  }
  return pieces;
}

/**
 * The brace depth at which a hunk starts. Braces alone give a lower bound (the deepest unmatched
 * `}`); kernel style gives the rest: code that opens the hunk indented and not as the tail of a
 * signature lies inside a body, and a body's closing brace sits in column 0, so a `}` that starts
 * its line further right closes an inner block. Limit: code not in kernel style may be misjudged.
 */
export function startDepth(toks: ScanToken[], fromBraces: number): number {
  let base = fromBraces;
  if (base === 0 && toks[0] && toks[0].col > 0 && !signatureTail(toks)) base = 1;
  for (let guard = 0; guard < 16; guard++) {
    let depth = base;
    let bumped = false;
    for (let i = 0; i < toks.length && !bumped; i++) {
      const t = toks[i]!;
      if (t.text === '{') depth++;
      else if (t.text === '}') {
        depth--;
        const firstOnLine = i === 0 || toks[i - 1]!.line !== t.line;
        if (depth === 0 && firstOnLine && t.col > 0) bumped = true;
      }
    }
    if (!bumped) break;
    base++;
  }
  return base;
}

/** The hunk opens with the end of a parameter list: a `)` without its `(`, then `{`. */
function signatureTail(toks: ScanToken[]): boolean {
  let paren = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!.text;
    if (t === '(') paren++;
    else if (t === ')') { paren--; if (paren < 0) return toks[i + 1]?.text === '{' || toks[i + 1] === undefined; }
    else if (paren === 0 && (t === ';' || t === '{' || t === '}')) return false;
  }
  return false;
}

/** The identifier right before the first top-level `(` of a signature. */
function functionName(head: ScanToken[]): string | undefined {
  const open = head.findIndex((h) => h.text === '(');
  if (open <= 0) return undefined;
  const id = head[open - 1]!.text;
  return isIdentifier(id) && !isKeyword(id) ? id : undefined;
}

/**
 * The line a signature starts on: the name's line, or up to two lines before it when those hold
 * only type words (`static int` on a line of its own), so prose before pasted code stays out.
 */
function headFirstLine(head: ScanToken[]): number {
  const open = head.findIndex((h) => h.text === '(');
  let first = head[Math.max(0, open - 1)]!.line;
  for (let k = 0; k < 2; k++) {
    const prev = head.filter((h) => h.line === first - 1);
    if (prev.length === 0 || prev.length > 4 || !prev.every((h) => h.text === '*' || isIdentifier(h.text))) break;
    first--;
  }
  return first;
}

/** The function a `diff -p` section hint names: an identifier followed by `(`, else undefined. */
export function hintName(section: string): string | undefined {
  const re = /([A-Za-z_][A-Za-z_0-9]*)\s*\(/g;
  for (let m = re.exec(section); m; m = re.exec(section)) {
    if (!isKeyword(m[1]!)) return m[1];
  }
  return undefined;
}
