/**
 * Makes a fragment parseable: a function body seen only in pieces (hunks that start inside it,
 * with lines of the file missing between them). Each run of lines is wrapped with the braces and
 * comment delimiters that the missing lines would have held, so tree-sitter sees one function
 * definition. Synthetic lines map to no C line (`-1`).
 *
 * Limits: a run that starts or ends in the middle of a statement stays broken and yields
 * `syntax` notes; braces are restored by depth only, so an `if` cut in half loses its condition.
 */
import type { CText } from '../functions/patch-function';
import { startDepth } from '../functions/pieces';
import { scanLines } from '../functions/scan';

export const FRAGMENT_NAME = '__kpr_fragment';
const CUT_PARAM = '__kpr_cut';

export interface ParseText {
  text: string;
  /** For each row of `text`, the CText line it is, or -1 for a synthetic row. */
  rows: number[];
}

/** The text of a whole function, as is. */
export function wholeText(c: CText): ParseText {
  const lines = c.text.replace(/\n$/, '').split('\n');
  return { text: c.text, rows: lines.map((_, i) => i) };
}

export function isCutParam(name: string): boolean {
  return name === CUT_PARAM;
}

interface Shape {
  start: number;
  end: number;
  startsInComment: boolean;
  endsInComment: boolean;
  /** Open parentheses at depth 0 when the run ends (a signature cut off). */
  openParens: number;
  /** The run holds a function head (signature followed by `{`) at depth 0. */
  hasHead: boolean;
  /** The run opens inside a parameter list (a `)` at depth 0 without its `(`). */
  opensInParams: boolean;
}

function shapeOf(lines: string[]): Shape {
  const scan = scanLines(lines);
  let rel = 0;
  let min = 0;
  for (const t of scan.tokens) {
    if (t.text === '{') rel++;
    else if (t.text === '}') { rel--; min = Math.min(min, rel); }
  }
  const start = startDepth(scan.tokens, -min);
  let depth = start;
  let parens = 0;
  let hasHead = false;
  let prev = '';
  let opensInParams = false;
  for (const t of scan.tokens) {
    if (depth === 0 && t.text === ')' && parens === 0 && !hasHead) opensInParams = true;
    if (t.text === '{') { if (depth === 0 && prev === ')') hasHead = true; depth++; }
    else if (t.text === '}') depth--;
    else if (depth === 0 && t.text === '(') parens++;
    else if (depth === 0 && t.text === ')') parens--;
    else if (depth === 0 && t.text === ';') parens = 0;
    prev = t.text;
  }
  return { start, end: depth, startsInComment: scan.startsInComment, endsInComment: scan.endsInComment, openParens: Math.max(0, parens), hasHead, opensInParams };
}

/** Wraps the runs of a fragment into one parseable function definition. */
export function fragmentText(c: CText): ParseText {
  const all = c.text.replace(/\n$/, '').split('\n');
  const cuts = [0, ...(c.segments ?? []), all.length];
  const out: string[] = [];
  const rows: number[] = [];
  const add = (text: string, row = -1) => { out.push(text); rows.push(row); };
  let depth = 0;
  let inComment = false;
  let headSeen = false;
  for (let s = 0; s + 1 < cuts.length; s++) {
    const from = cuts[s]!;
    const lines = all.slice(from, cuts[s + 1]);
    const shape = shapeOf(lines);
    if (shape.startsInComment && !inComment) add('/*');
    if (!shape.startsInComment && inComment) add('*/');
    // Bring the depth to where this run starts.
    if (s === 0 && shape.opensInParams) add(`void ${FRAGMENT_NAME}(`);
    if (depth === 0 && shape.start > 0 && !headSeen) { add(`void ${FRAGMENT_NAME}(void) {`); depth = 1; headSeen = true; }
    while (depth < shape.start) { add('{'); depth++; }
    while (depth > shape.start && depth > 1) { add('}'); depth--; }
    lines.forEach((l, i) => add(l, from + i));
    if (shape.hasHead) headSeen = true;
    depth = shape.end;
    inComment = shape.endsInComment;
    if (depth === 0 && shape.openParens > 0 && s + 2 < cuts.length) {
      // A signature cut off before its body: close it so the next run is its body.
      if (inComment) { add('*/'); inComment = false; }
      add(`${CUT_PARAM}${')'.repeat(shape.openParens)} {`);
      depth = 1;
      headSeen = true;
    }
  }
  if (inComment) add('*/');
  if (!headSeen) { out.unshift(`void ${FRAGMENT_NAME}(void) {`); rows.unshift(-1); depth++; }
  while (depth > 0) { add('}'); depth--; }
  return { text: out.join('\n') + '\n', rows };
}
