/**
 * One hunk: parses the `@@ -a,b +c,d @@ section` header, then counts body lines against it the way
 * patch(1) does. A blank line where context is expected is an empty context line whose single
 * space the mailer stripped. Disagreements between header and body become `patch-syntax`
 * problems at the line where they show; the hunk keeps what was read.
 */
import { lineSpan, linesSpan } from './lines';
import { isPostmark } from './mail';
import type { Hunk, HunkLine, IntakeProblem } from './document';

export const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Lines after a hunk that end it without being hunk lines: signatures, akpm's `_`, next file. */
export function isSeparator(lines: readonly string[], j: number): boolean {
  const s = lines[j]!;
  if (s === '-' || s === '--' || s === '-- ' || s === '---' || s === '_') return true;
  if (s.startsWith('+++ ')) return true;
  return s.startsWith('--- ') && (lines[j + 1] ?? '').startsWith('+++ ');
}

function looksLikeHunkLine(lines: readonly string[], j: number): boolean {
  const c = lines[j]!.charAt(0);
  return (c === ' ' || c === '+' || c === '-' || c === '\\') && !isSeparator(lines, j);
}

export interface HunkResult {
  hunk?: Hunk;
  /** First line after the hunk. */
  next: number;
}

/** Skips a run of hunk-looking lines (the body of a hunk whose header was rejected). */
export function skipHunkish(lines: readonly string[], j: number): number {
  while (j < lines.length && looksLikeHunkLine(lines, j)) j++;
  return j;
}

/** Parses the hunk whose header is line `at`. Problems are appended to `problems`. */
export function parseHunk(lines: readonly string[], at: number, problems: IntakeProblem[]): HunkResult {
  const n = lines.length;
  const head = lines[at]!;
  // HUNK_RE is anchored and has no nested repetition, so it stays linear on very long lines.
  const m = HUNK_RE.exec(head);
  if (!m) {
    problems.push({ message: `hunk header does not parse: expected "@@ -start,count +start,count @@"`, severity: 'error', range: lineSpan(lines, at) });
    return { next: skipHunkish(lines, at + 1) };
  }
  const oldStart = Number(m[1]);
  const oldLines = m[2] === undefined ? 1 : Number(m[2]);
  const newStart = Number(m[3]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  const body: HunkLine[] = [];
  let remOld = oldLines;
  let remNew = newLines;
  let oldNo = oldStart;
  let newNo = newStart;
  let j = at + 1;
  const headerRef = [{ message: 'hunk header', range: lineSpan(lines, at) }];
  const promised = `the header promises ${oldLines} old and ${newLines} new lines`;
  while (remOld > 0 || remNew > 0) {
    if (j >= n) break;
    const s = lines[j]!;
    const c = s.charAt(0);
    if (c === '\\') {
      const prev = body[body.length - 1];
      if (prev) prev.noNewline = true;
      j++;
      continue;
    }
    if (c === ' ' || (s === '' && remOld > 0 && remNew > 0)) {
      if (remOld === 0 || remNew === 0) {
        problems.push({ message: `hunk body is longer than its header: context line beyond the count (${promised})`, severity: 'error', range: lineSpan(lines, j), related: headerRef });
        return finish(skipHunkish(lines, j));
      }
      body.push({ kind: ' ', text: s.slice(1), line: j, oldLine: oldNo++, newLine: newNo++ });
      remOld--; remNew--;
    } else if (c === '-' && remOld > 0) {
      body.push({ kind: '-', text: s.slice(1), line: j, oldLine: oldNo++ });
      remOld--;
    } else if (c === '+' && remNew > 0) {
      body.push({ kind: '+', text: s.slice(1), line: j, newLine: newNo++ });
      remNew--;
    } else if ((c === '-' || c === '+') && !isSeparator(lines, j)) {
      const what = c === '-' ? 'removed' : 'added';
      problems.push({ message: `hunk body is longer than its header: one ${what} line too many (${promised})`, severity: 'error', range: lineSpan(lines, j), related: headerRef });
      return finish(skipHunkish(lines, j));
    } else {
      break;
    }
    j++;
  }
  // Like patch(1), assume that up to three blank context lines were chopped off the end of the
  // text (archives and mailers trim trailing white space) and accept the hunk, but say so: the
  // reader should know the hunk was read leniently, and that its last context is not shown.
  const atEnd = j >= n || isPostmark(lines, j);
  if (atEnd && remOld === remNew && remOld <= 3) {
    if (remOld > 0) {
      const last = body.length > 0 ? body[body.length - 1]!.line : at;
      const missing = remOld === 1 ? 'one line' : `${remOld} lines`;
      const where = j >= n ? 'the text' : 'the mail';
      problems.push({ message: `hunk ends ${missing} short at the end of ${where}: read as patch(1) reads it, as if the mailer had trimmed ${remOld === 1 ? 'a blank context line' : 'blank context lines'} (${promised})`, severity: 'information', range: lineSpan(lines, last), related: headerRef });
    }
    return finish(j);
  }
  if (remOld > 0 || remNew > 0) {
    const last = body.length > 0 ? body[body.length - 1]!.line : at;
    const got = `${oldLines - remOld} old and ${newLines - remNew} new`;
    problems.push({ message: `hunk cut off: ${promised}, the body has ${got}`, severity: 'error', range: lineSpan(lines, last), related: headerRef });
    return finish(j);
  }
  // Counts satisfied: a trailing `\ No newline` marker still belongs to the hunk.
  while (j < n && lines[j]!.charAt(0) === '\\') {
    const prev = body[body.length - 1];
    if (prev) prev.noNewline = true;
    j++;
  }
  // More hunk lines right after a complete hunk mean the header undercounts.
  let k = j;
  let changed = false;
  while (k < n && looksLikeHunkLine(lines, k)) {
    if (lines[k]!.charAt(0) !== ' ') changed = true;
    k++;
  }
  if (changed) {
    problems.push({ message: `hunk body is longer than its header (${promised})`, severity: 'error', range: lineSpan(lines, j), related: headerRef });
    return finish(k);
  }
  // Only context lines beyond the count: patch(1) drops them without a word, so the patch still
  // applies, but the header undercounts and the reader should know those lines are not part of it.
  // White space alone after a hunk is a mailer's leftover, not context.
  const blankOnly = lines.slice(j, k).every((l) => l.trim() === '');
  if (k > j && !blankOnly && (k >= n || lines[k] === '' || HUNK_RE.test(lines[k]!) || lines[k]!.startsWith('diff ') || isSeparator(lines, k))) {
    const extra = k - j === 1 ? 'one context line' : `${k - j} context lines`;
    problems.push({ message: `hunk body is longer than its header: ${extra} beyond the count, which patch(1) ignores (${promised})`, severity: 'warning', range: linesSpan(lines, j, k - 1), related: headerRef });
    return finish(k);
  }
  return finish(j);

  function finish(next: number): HunkResult {
    const end = Math.max(at, next - 1);
    const hunk: Hunk = {
      oldStart, oldLines, newStart, newLines, line: at,
      section: m![5]!.replace(/^ /, ''),
      lines: body,
      range: linesSpan(lines, at, end),
    };
    return { hunk, next };
  }
}
