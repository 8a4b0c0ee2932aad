/**
 * Which lines of a patch are added and removed lines of a hunk, so the editor can give them the
 * diff backgrounds while the grammar keeps the C highlighting inside them (a TextMate scope can
 * colour only the text, and the embedded C scopes win over `markup.inserted`). The same reading as
 * the grammar's `hunk` rule (syntaxes/kernel-patch.tmLanguage.json): a hunk runs from its `@@`
 * line to the first line that is not a hunk line, or that is the next file's header or the
 * signature separator. So a changelog's "- fix this" bullet or a Signed-off-by trailer is never
 * coloured. Pure, so it is tested without VS Code.
 */
export interface DiffLines {
  /** 0-based line numbers. */
  added: number[];
  removed: number[];
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;

export function diffLines(lines: readonly string[]): DiffLines {
  const out: DiffLines = { added: [], removed: [] };
  let inHunk = false;
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (HUNK_HEADER.test(line)) { inHunk = true; return; }
    if (!inHunk) return;
    if (line.startsWith('--- ') || line.startsWith('+++ ') || line === '-- ' || !/^[ +\-\\]/.test(line)) { inHunk = false; return; }
    if (line.startsWith('+')) out.added.push(i);
    else if (line.startsWith('-')) out.removed.push(i);
  });
  return out;
}
