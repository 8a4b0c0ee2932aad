/**
 * Hover on a patch line: which mail, file, hunk and function the line belongs to, and what the
 * hunk changes ("-3 +5 lines in mm/truncate.c, hunk 2 of 3, @@ -65,6 +65,8 @@").
 */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis';
import type { Range, HunkLine } from '../intake/types';
import { RULES } from '../findings';
import { fileName, hunkHeader } from './symbols';
import { inWindow, raceWindowHover } from './trace-hover';

function contains(range: Range, line: number): boolean {
  return range.start.line <= line && line <= range.end.line;
}

function lineKind(l: HunkLine): string {
  if (l.kind === '+') return `added line (new line ${l.newLine ?? '?'})`;
  if (l.kind === '-') return `removed line (old line ${l.oldLine ?? '?'})`;
  return `context line (old ${l.oldLine ?? '?'}, new ${l.newLine ?? '?'})`;
}

/**
 * Markdown for the hover at `line`, or null when the line is outside every mail and file.
 * `uri` is the document's, for the trace links of race windows.
 */
export function hoverText(a: Analysis, line: number, uri: string = a.document.path): string | null {
  const doc = a.document;
  const parts: string[] = [];
  const mi = doc.messages.findIndex((m) => contains(m.range, line));
  const message = mi >= 0 ? doc.messages[mi] : undefined;
  if (message) {
    const of = doc.messages.length > 1 ? ` (mail ${mi + 1} of ${doc.messages.length})` : '';
    parts.push(`Mail: **${message.subject ?? '(no subject)'}**${of}`);
  }
  const fi = doc.files.findIndex((f) => contains(f.range, line));
  const file = fi >= 0 ? doc.files[fi] : undefined;
  if (file) {
    const name = fileName(file);
    const hi = file.hunks.findIndex((h) => contains(h.range, line));
    const hunk = hi >= 0 ? file.hunks[hi] : undefined;
    if (hunk) {
      const removed = hunk.lines.filter((l) => l.kind === '-').length;
      const added = hunk.lines.filter((l) => l.kind === '+').length;
      parts.push(`-${removed} +${added} lines in \`${name}\`, hunk ${hi + 1} of ${file.hunks.length}, \`${hunkHeader(hunk)}\``);
      const fn =
        a.functions.find((f) => f.hunks.some((h) => h.file === fi && h.hunk === hi) && contains(f.range, line)) ??
        a.functions.find((f) => f.hunks.some((h) => h.file === fi && h.hunk === hi));
      if (fn) parts.push(`Function: \`${fn.name}\` (pre: ${fn.preOrigin}, post: ${fn.postOrigin}${fn.era ? `, era ${fn.era}` : ''})`);
      else if (hunk.section.trim()) parts.push(`Function (from the hunk header, not verified): \`${hunk.section.trim()}\``);
      const hl = hunk.lines.find((l) => l.line === line);
      if (hl) parts.push(`This line: ${lineKind(hl)}`);
    } else {
      parts.push(`File header of \`${name}\` (${file.hunks.length} hunk${file.hunks.length === 1 ? '' : 's'})`);
    }
  } else {
    const fn = a.functions.find((f) => f.hunks.length === 0 && contains(f.range, line));
    if (fn) parts.push(`Code in the mail: function \`${fn.name}\` (${fn.postOrigin})`);
  }
  // Findings with a race window get the fuller section below; the rest one line each, with the rule's text.
  const here = a.findings.filter((f) => contains(f.range, line) && !inWindow(f, line));
  for (const f of here) parts.push(`\`${f.rule}\` [${f.status}]: ${f.message}  \n*Rule:* ${RULES[f.rule].doc} *Kernel rule:* ${RULES[f.rule].kernelRule}`);
  parts.push(...raceWindowHover(a.findings, line, uri));
  return parts.length > 0 ? parts.join('\n\n') : null;
}

export function hoverAt(a: Analysis, line: number, uri?: string): Hover | null {
  const text = hoverText(a, line, uri);
  if (text === null) return null;
  const length = a.document.lines[line]?.length ?? 0;
  return { contents: { kind: MarkupKind.Markdown, value: text }, range: { start: { line, character: 0 }, end: { line, character: length } } };
}
