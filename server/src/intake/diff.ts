/**
 * File sections of a diff: `diff --git` / `diff -puN` command lines with git's extended headers,
 * `---`/`+++` name pairs, then hunks. One linear pass over the lines; lines that are not part of a
 * file section (prose, mail bodies, diffstat, the `---` separator of git mails) are left alone.
 * Every malformation becomes a problem at its line and scanning continues.
 */
import { HUNK_RE, parseHunk, skipHunkish } from './hunks';
import { lineSpan, linesSpan } from './lines';
import { cleanPath, gitDiffNames } from './paths';
import type { FileDiff, Hunk, IntakeProblem } from './document';

/** A diff command line: `diff --git a b`, or `diff` with options (`diff -puN a b`, `diff -u a b`). */
const DIFF_CMD_RE = /^diff (?:--git |-{1,2}[A-Za-z])/;
/** git's extended header lines between `diff --git` and `---`. */
const GIT_EXT_RE = /^(?:index |old mode |new mode |deleted file mode |new file mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to )/;
/** Extended headers that explain a file section without hunks. */
const NO_HUNKS_OK_RE = /^(?:old mode |new mode |deleted file mode |new file mode |rename from |copy from )/;

function messageOf(starts: readonly number[], line: number): number {
  // starts[k] is the first line of message k; messages are in document order and do not overlap.
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= line) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/**
 * Finds every file section. `messageStarts`/`messageEnds` give each message's line span, used to
 * tag files with their message index (-1 outside any message).
 */
export function parseDiffs(lines: readonly string[], messageStarts: readonly number[], messageEnds: readonly number[], problems: IntakeProblem[]): FileDiff[] {
  const n = lines.length;
  const files: FileDiff[] = [];
  const tag = (line: number): number => {
    const k = messageOf(messageStarts, line);
    return k >= 0 && line <= messageEnds[k]! ? k : -1;
  };
  let i = 0;
  while (i < n) {
    const s = lines[i]!;
    const c = s.charCodeAt(0);
    if (c === 100 /* d */ && DIFF_CMD_RE.test(s)) {
      i = section(i);
    } else if (c === 45 /* - */ && s.startsWith('--- ') && ((lines[i + 1] ?? '').startsWith('+++ ') || (lines[i + 1] ?? '').startsWith('@@'))) {
      i = section(i);
    } else if (c === 64 /* @ */ && HUNK_RE.test(s)) {
      problems.push({ message: 'hunk outside any file section (no "---"/"+++" header before it)', severity: 'error', range: lineSpan(lines, i) });
      i = skipHunkish(lines, i + 1);
    } else {
      i++;
    }
  }
  return files;

  /** Parses the file section starting at line `start`; returns the first line after it. */
  function section(start: number): number {
    let i = start;
    let oldPath: string | null = null;
    let newPath: string | null = null;
    let binary = false;
    let explained = false;
    const isGit = lines[i]!.startsWith('diff --git ');
    const isCmd = lines[i]!.startsWith('diff ');
    if (isCmd) {
      if (isGit) {
        const names = gitDiffNames(lines[i]!);
        if (names) { oldPath = cleanPath(names.old); newPath = cleanPath(names.new); }
      }
      i++;
      while (i < n && GIT_EXT_RE.test(lines[i]!)) {
        if (NO_HUNKS_OK_RE.test(lines[i]!)) explained = true;
        if (lines[i]!.startsWith('new file mode ')) oldPath = null;
        if (lines[i]!.startsWith('deleted file mode ')) newPath = null;
        i++;
      }
      if (i < n && /^Binary files .* differ$/.test(lines[i]!)) { binary = true; i++; }
      else if (i < n && lines[i] === 'GIT binary patch') {
        binary = true;
        while (i < n && lines[i]!.trim() !== '') i++;
      }
    }
    let headerEnd = Math.max(start, i - 1);
    if (i < n && lines[i]!.startsWith('--- ')) {
      oldPath = cleanPath(lines[i]!.slice(4));
      headerEnd = i;
      if (i + 1 < n && lines[i + 1]!.startsWith('+++ ')) {
        newPath = cleanPath(lines[i + 1]!.slice(4));
        headerEnd = i + 1;
        i += 2;
      } else {
        problems.push({ message: 'file header "---" is not followed by "+++"', severity: 'error', range: lineSpan(lines, i) });
        newPath = oldPath;
        i++;
      }
    }
    const hunks: Hunk[] = [];
    let last = headerEnd;
    const sawHunk = i < n && lines[i]!.startsWith('@@');
    while (i < n && lines[i]!.startsWith('@@')) {
      const r = parseHunk(lines, i, problems);
      if (r.hunk) hunks.push(r.hunk);
      last = r.next - 1;
      i = r.next;
    }
    if (!sawHunk && !binary && !explained) {
      problems.push({ message: 'file section has no hunks', severity: 'error', range: linesSpan(lines, start, headerEnd) });
    }
    const file: FileDiff = { oldPath, newPath, line: start, range: linesSpan(lines, start, Math.max(start, last)), hunks, message: tag(start) };
    if (binary) file.binary = true;
    files.push(file);
    return Math.max(i, start + 1);
  }
}
