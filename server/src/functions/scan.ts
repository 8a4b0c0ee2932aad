/**
 * A line-level C lexer for hunk text: enough to follow comments, strings, braces and parentheses
 * through a piece of a file that may start or end anywhere (inside a comment, a parameter list
 * or a function body). Full parsing is tree-sitter's job; this only finds the shape of a hunk.
 */

export interface ScanToken {
  /** Identifier, number, or one punctuation character (`{`, `}`, `(`, `)`, `;`, `=`, ...). */
  text: string;
  /** Index of the line it lies on, and its column there. */
  line: number;
  col: number;
}

export interface ScanResult {
  tokens: ScanToken[];
  /** Per line: does it hold any code outside comments (preprocessor lines count as code)? */
  hasCode: boolean[];
  /** The text started inside a block comment (its first comment delimiter is a closing one). */
  startsInComment: boolean;
  /** The text ends inside an unclosed block comment. */
  endsInComment: boolean;
}

/** True when the first block comment delimiter in the lines is `*` `/`: the text opened in a comment. */
function opensInComment(lines: string[]): boolean {
  for (const l of lines) {
    const open = l.indexOf('/*');
    const close = l.indexOf('*/');
    if (close >= 0 && (open < 0 || close < open)) return true;
    if (open >= 0) return false;
  }
  return false;
}

/** Lexes lines of C. Preprocessor lines (and their backslash continuations) yield no tokens. */
export function scanLines(lines: string[]): ScanResult {
  const tokens: ScanToken[] = [];
  const hasCode: boolean[] = [];
  const startsInComment = opensInComment(lines);
  let inComment = startsInComment;
  let inDirective = false;
  for (let li = 0; li < lines.length; li++) {
    const s = lines[li] ?? '';
    let code = false;
    let i = 0;
    if (!inComment && (inDirective || /^\s*#/.test(s))) {
      // A directive: code, but not part of the brace structure the scan follows.
      inDirective = /\\\s*$/.test(s);
      hasCode.push(s.trim().length > 0);
      continue;
    }
    while (i < s.length) {
      const c = s[i]!;
      if (inComment) {
        const end = s.indexOf('*/', i);
        if (end < 0) { i = s.length; break; }
        inComment = false;
        i = end + 2;
        continue;
      }
      if (c === '/' && s[i + 1] === '*') { inComment = true; i += 2; continue; }
      if (c === '/' && s[i + 1] === '/') break;
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r') { i++; continue; }
      code = true;
      if (c === '"' || c === "'") {
        // A literal: skip to its closing quote on this line (an unterminated one ends the line).
        let j = i + 1;
        while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
        tokens.push({ text: c === '"' ? '"str"' : "'chr'", line: li, col: i });
        i = j + 1;
        continue;
      }
      const word = /^[A-Za-z_0-9]+/.exec(s.slice(i));
      if (word) {
        tokens.push({ text: word[0], line: li, col: i });
        i += word[0].length;
        continue;
      }
      tokens.push({ text: c, line: li, col: i });
      i++;
    }
    hasCode.push(code);
  }
  return { tokens, hasCode, startsInComment, endsInComment: inComment };
}

export function isIdentifier(text: string): boolean {
  return /^[A-Za-z_][A-Za-z_0-9]*$/.test(text);
}

const KEYWORDS = new Set([
  'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'return', 'break', 'continue',
  'goto', 'sizeof', 'struct', 'union', 'enum', 'typedef', 'static', 'extern', 'inline', 'const',
  'volatile', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', 'register',
]);

export function isKeyword(text: string): boolean {
  return KEYWORDS.has(text);
}
