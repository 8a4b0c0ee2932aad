/**
 * Builds PatchDocument values by hand for the functions and lowering tests, so they do not
 * depend on intake: a minimal reader of unified diffs (file headers and hunks only) and a mail
 * with one pasted code block. Not a patch parser: no mails, no checks.
 */
import type { CodeBlock, FileDiff, Hunk, PatchDocument } from '../../server/src/intake/document';

export function patchDoc(text: string, path = 'fixture.patch'): PatchDocument {
  const lines = text.split('\n');
  const files: FileDiff[] = [];
  let file: FileDiff | undefined;
  let hunk: Hunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  lines.forEach((l, i) => {
    const at = { line: i, character: 0 };
    if (l.startsWith('--- ')) {
      file = { oldPath: l.slice(4).split(/\s/)[0]!.replace(/^a\//, ''), newPath: null, line: i, range: { start: at, end: at }, hunks: [], message: -1 };
      files.push(file);
      hunk = undefined;
      return;
    }
    if (l.startsWith('+++ ') && file && !hunk) { file.newPath = l.slice(4).split(/\s/)[0]!.replace(/^b\//, ''); return; }
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/.exec(l);
    if (m && file) {
      hunk = { oldStart: +m[1]!, oldLines: +(m[2] ?? 1), newStart: +m[3]!, newLines: +(m[4] ?? 1), line: i, section: m[5] ?? '', lines: [], range: { start: at, end: at } };
      oldLine = hunk.oldStart;
      newLine = hunk.newStart;
      file.hunks.push(hunk);
      return;
    }
    if (hunk && (l[0] === ' ' || l[0] === '-' || l[0] === '+' || l === '')) {
      const kind = (l[0] ?? ' ') as ' ' | '-' | '+';
      hunk.lines.push({ kind, text: l.slice(1), line: i, oldLine: kind !== '+' ? oldLine++ : undefined, newLine: kind !== '-' ? newLine++ : undefined });
      hunk.range.end = { line: i, character: l.length };
      return;
    }
    hunk = undefined;
  });
  return { path, kind: 'patch', lines, messages: [], files, codeBlocks: [], problems: [] };
}

/** A mail whose lines `from`..`to` (0-based, inclusive) are pasted C code, quoted or not. */
export function mailDoc(text: string, from: number, to: number): PatchDocument {
  const lines = text.split('\n');
  const block: CodeBlock = {
    lines: lines.slice(from, to + 1).map((t, k) => {
      const q = /^(>\s?)*/.exec(t)![0].length;
      return { text: t.slice(q), line: from + k, character: q };
    }),
    range: { start: { line: from, character: 0 }, end: { line: to, character: lines[to]!.length } },
    message: 0,
  };
  return {
    path: 'fixture.eml', kind: 'mail', lines,
    messages: [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } }, bodyLine: 0 }],
    files: [], codeBlocks: [block], problems: [],
  };
}
