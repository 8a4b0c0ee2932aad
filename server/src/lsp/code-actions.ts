/**
 * Quick fixes where the fix is mechanical and keeps what the code means (issue 14 item 8):
 *
 * - `c-warning` [-Wparentheses]: put parentheses around the operand gcc names, as its warning
 *   suggests (`a << b + c` → `a << (b + c)`, `if (x = f())` → `if ((x = f()))`). C already groups
 *   it that way, so the fix only spells the grouping out; whether that grouping is what the
 *   author meant is the reviewer's call, which is why the fix names the text it wraps.
 *
 * Offered only on an added line (`+`): editing a context or removed line would make the patch no
 * longer apply to the tree it was written for. Findings come from the server's own analysis of
 * the document, not from the client's diagnostics; a client diagnostic at the same place is only
 * attached so the editor can show the fix beside it. Not offered yet: a fix for a discarded
 * result (`unchecked-return`), since what to do with a failure is not mechanical.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Finding } from '../findings';

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

/** The quick fixes for `range` of the document `uri` (its `lines`), from the server's findings. */
export function codeActions(uri: string, lines: readonly string[], findings: readonly Finding[], range: Range, diagnostics: readonly Diagnostic[] = []): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
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
