/**
 * Quick fixes where the fix is mechanical (issue 14 item 8):
 *
 * - `c-warning` [-Wparentheses]: put parentheses around the operand gcc names, as its warning
 *   suggests (`a << b + c` → `a << (b + c)`, `if (x = f())` → `if ((x = f()))`). C already groups
 *   it that way, so the fix only spells the grouping out; whether that grouping is what the
 *   author meant is the reviewer's call, which is why the fix names the text it wraps.
 *
 * - `unchecked-return` of a call that returns 0 on failure (`invalidate_complete_page()`,
 *   `try_to_release_page()`, rules/kernel-api.ts ZERO_ON_FAILURE) whose result is discarded, in
 *   a function that returns a local (`return ret;`): `if (!call) ret = -EIO;`, on two lines, with
 *   the hunk header's new line count raised by one so the patch still applies. -EIO is what the
 *   era's invalidate_inode_pages2() reports for a page it could not drop. Not offered for calls
 *   that return an errno: whether their error should replace the one the function already holds
 *   (-EIOCBQUEUED, a byte count) is the error-clobber question, not a mechanical one.
 *
 * Offered only on an added line (`+`): editing a context or removed line would make the patch no
 * longer apply to the tree it was written for. Findings come from the server's own analysis of
 * the document, not from the client's diagnostics; a client diagnostic at the same place is only
 * attached so the editor can show the fix beside it.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { Finding } from '../findings';
import { ZERO_ON_FAILURE } from '../rules/kernel-api';

/** Longest piece of code a fix's title quotes before it is cut with '…'. */
const TITLE_CODE = 40;

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The text a finding covers, when it lies on one added line of the document. */
function addedText(lines: readonly string[], r: Range): string | undefined {
  if (r.start.line !== r.end.line) return undefined;
  const line = lines[r.start.line];
  if (line === undefined || !line.startsWith('+') || line.startsWith('+++ ')) return undefined;
  if (r.start.character < 1 || r.end.character > line.length || r.end.character <= r.start.character) return undefined;
  return line.slice(r.start.character, r.end.character);
}

function quoted(code: string): string {
  const flat = code.replace(/\s+/g, ' ');
  return flat.length > TITLE_CODE ? `${flat.slice(0, TITLE_CODE - 1)}…` : flat;
}

/** A discarded call statement on an added line: `+<indent>callee(args);`. */
const CALL_STATEMENT = /^\+(\s*)(([A-Za-z_]\w*)\s*\(.*\))\s*;\s*$/;
const RETURN_LOCAL = /^\s*return\s+([A-Za-z_]\w*)\s*;/;
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * The local the function around `line` returns (`return ret;` on a later added or context line
 * before the function's closing brace or the hunk's end), or undefined.
 */
function returnedLocal(lines: readonly string[], line: number): string | undefined {
  for (let l = line + 1; l < lines.length; l++) {
    const text = lines[l]!;
    if (text.startsWith('-')) continue;
    if (!text.startsWith('+') && !text.startsWith(' ')) return undefined;
    const m = RETURN_LOCAL.exec(text.slice(1));
    if (m) return m[1];
    if (text.slice(1).startsWith('}')) return undefined;
  }
  return undefined;
}

/** The edit that raises the new line count of the hunk holding `line` by `more`. */
function hunkCountEdit(lines: readonly string[], line: number, more: number): TextEdit | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const m = HUNK_HEADER.exec(lines[l]!);
    if (!m) continue;
    const at = lines[l]!.indexOf(`+${m[1]}`);
    const old = `+${m[1]}${m[2] !== undefined ? `,${m[2]}` : ''}`;
    const count = m[2] !== undefined ? Number(m[2]) : 1;
    return { range: { start: { line: l, character: at }, end: { line: l, character: at + old.length } }, newText: `+${m[1]},${count + more}` };
  }
  return undefined;
}

/** `if (!call) ret = -EIO;` for a discarded call that returns 0 on failure (see the file's comment). */
function useResultFix(uri: string, lines: readonly string[], f: Finding): CodeAction | undefined {
  if (f.range.start.line !== f.range.end.line) return undefined;
  const line = f.range.start.line;
  const m = CALL_STATEMENT.exec(lines[line] ?? '');
  if (!m || !ZERO_ON_FAILURE.has(m[3]!)) return undefined;
  const local = returnedLocal(lines, line);
  const header = hunkCountEdit(lines, line, 1);
  if (!local || !header) return undefined;
  const [, indent, call, callee] = m;
  const end = lines[line]!.length;
  return {
    title: `Use the result of ${callee}(): ${local} = -EIO when it fails`,
    kind: CodeActionKind.QuickFix,
    edit: { changes: { [uri]: [
      { range: { start: { line, character: 1 }, end: { line, character: end } }, newText: `${indent}if (!${call})\n+${indent}\t${local} = -EIO;` },
      header,
    ] } },
  };
}

/** The quick fixes for `range` of the document `uri` (its `lines`), from the server's findings. */
export function codeActions(uri: string, lines: readonly string[], findings: readonly Finding[], range: Range, diagnostics: readonly Diagnostic[] = []): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.rule === 'unchecked-return' && overlaps(f.range, range)) {
      const fix = useResultFix(uri, lines, f);
      const matching = diagnostics.filter((d) => d.source === 'kpr' && d.code === 'unchecked-return' && sameRange(d.range, f.range));
      if (fix && !seen.has(`ur:${f.range.start.line}`)) {
        seen.add(`ur:${f.range.start.line}`);
        actions.push(matching.length > 0 ? { ...fix, diagnostics: matching } : fix);
      }
      continue;
    }
    if (f.rule !== 'c-warning' || !f.message.includes('[-Wparentheses]') || !overlaps(f.range, range)) continue;
    const code = addedText(lines, f.range);
    if (code === undefined) continue;
    const key = `${f.range.start.line}:${f.range.start.character}:${f.range.end.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { start, end } = f.range;
    const matching = diagnostics.filter((d) => d.source === 'kpr' && d.code === 'c-warning' && sameRange(d.range, f.range));
    actions.push({
      title: `Parenthesise ${quoted(code)} (as gcc suggests)`,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      ...(matching.length > 0 ? { diagnostics: matching } : {}),
      edit: {
        changes: {
          [uri]: [
            { range: { start: end, end }, newText: ')' },
            { range: { start, end: start }, newText: '(' },
          ],
        },
      },
    });
  }
  return actions;
}
