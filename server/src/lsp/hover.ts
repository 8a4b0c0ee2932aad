/**
 * Hover on a patch line: which mail, file, hunk and function the line belongs to, what the hunk
 * changes ("-3 +5 lines in mm/truncate.c, hunk 2 of 3, @@ -65,6 +65,8 @@") and how it was placed
 * into the library's body of its function, the findings on the line, and for a race window its
 * verdict and the steps around it (trace-hover.ts). At most
 * MAX_LINES lines: what does not fit is counted and left to the Problems panel and the trace view.
 * Every piece of document text is escaped (report/markdown.ts).
 */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis';
import type { Range, HunkLine } from '../intake/document';
import { RULES } from '../findings';
import { mdCode, mdText } from '../report/markdown';
import { hunkOwners, placementWords } from '../functions/hunk-owners';
import { fileName, hunkHeader } from './symbols';
import { partLabel } from '../intake/encoded';
import { inWindow, raceWindowHover } from './trace-hover';
import { appendAll } from '../arrays';
import { placementWhy, shownMessage } from '../report/finding-message';

/** The longest hover, in lines of markdown. */
export const MAX_LINES = 40;

/** Keeps whole parts while they fit in MAX_LINES (the first always), then says how many were left out. */
function fit(parts: readonly string[]): string {
  const kept: string[] = [];
  let lines = 0;
  for (const [i, p] of parts.entries()) {
    const n = p.split('\n').length + (kept.length > 0 ? 1 : 0);
    if (kept.length > 0 && lines + n > MAX_LINES - 2) {
      kept.push(`*${parts.length - i} more on this line: see the Problems panel.*`);
      break;
    }
    kept.push(p);
    lines += n;
  }
  return kept.join('\n\n');
}

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
export function hoverText(a: Analysis, line: number, uri: string = a.document.path, links = true): string | null {
  const doc = a.document;
  const parts: string[] = [];
  const mi = doc.messages.findIndex((m) => contains(m.range, line));
  const message = mi >= 0 ? doc.messages[mi] : undefined;
  if (message) {
    const of = doc.messages.length > 1 ? ` (mail ${mi + 1} of ${doc.messages.length})` : '';
    parts.push(`Mail: **${mdText(message.subject ?? '(no subject)')}**${of}`);
  }
  const fi = doc.files.findIndex((f) => contains(f.range, line));
  const file = fi >= 0 ? doc.files[fi] : undefined;
  // A base64 part's header stands for all of its decoded text (intake/decoded-map.ts): say what
  // was decoded rather than describe the first of its hunks as if it were this line.
  const part = doc.decoded?.parts.find((p) => p.header === line && p.encoding === 'base64');
  if (part) {
    const files = doc.files.filter((f) => f.range.start.line === line);
    const what = files.map((f) => `${mdCode(fileName(f))} (${f.hunks.length} hunk${f.hunks.length === 1 ? '' : 's'})`).join(', ');
    parts.push(`Decoded ${mdText(partLabel(part))} (${mdText(part.contentType)}, ${mdText(part.charset)}): ${part.count} lines read${what ? `: ${what}` : ''}. Its findings are shown on this line with their decoded line.`);
  } else if (file) {
    const name = fileName(file);
    const hi = file.hunks.findIndex((h) => contains(h.range, line));
    const hunk = hi >= 0 ? file.hunks[hi] : undefined;
    if (hunk) {
      const removed = hunk.lines.filter((l) => l.kind === '-').length;
      const added = hunk.lines.filter((l) => l.kind === '+').length;
      parts.push(`-${removed} +${added} lines in ${mdCode(name)}, hunk ${hi + 1} of ${file.hunks.length}, ${mdCode(hunkHeader(hunk))}`);
      const fn =
        a.functions.find((f) => f.hunks.some((h) => h.file === fi && h.hunk === hi) && contains(f.range, line)) ??
        a.functions.find((f) => f.hunks.some((h) => h.file === fi && h.hunk === hi));
      if (fn) parts.push(`Function: ${mdCode(fn.name)} (pre: ${fn.preOrigin}, post: ${fn.postOrigin}${fn.era ? `, era ${fn.era}` : ''})`);
      const placed = fn?.hunks.find((h) => h.file === fi && h.hunk === hi)?.placement;
      if (placed) parts.push(`Placement: ${mdText(placementWords(placed, placementWhy(placed)))}`);
      const owner = fn ? undefined : hunkOwners(doc, a.functions)[fi]?.[hi]?.function;
      if (owner) parts.push(`Function: ${mdCode(owner)} (the hunk changes its leading comment)`);
      else if (!fn && hunk.section.trim()) parts.push(`Function (from the hunk header, not verified): ${mdCode(hunk.section.trim())}`);
      const hl = hunk.lines.find((l) => l.line === line);
      if (hl) parts.push(`This line: ${lineKind(hl)}`);
    } else {
      parts.push(`File header of ${mdCode(name)} (${file.hunks.length} hunk${file.hunks.length === 1 ? '' : 's'})`);
    }
  } else {
    const fn = a.functions.find((f) => f.hunks.length === 0 && contains(f.range, line));
    if (fn) parts.push(`Code in the mail: function ${mdCode(fn.name)} (${fn.postOrigin})`);
  }
  // Findings with a race window get the fuller section below; the rest one line each, with the rule's text.
  const here = a.findings.filter((f) => contains(f.range, line) && !inWindow(f, line));
  for (const f of here) parts.push(`${mdCode(f.rule)} \\[${f.status}\\]: ${mdText(shownMessage(f))}  \n*Rule:* ${mdText(RULES[f.rule].doc)}`);
  appendAll(parts, raceWindowHover(a.findings, line, uri, links));
  return parts.length > 0 ? fit(parts) : null;
}

/** `links`: whether the client runs `command:` links (the VS Code client says so in its initialization options). */
export function hoverAt(a: Analysis, line: number, uri?: string, links = true): Hover | null {
  const text = hoverText(a, line, uri, links);
  if (text === null) return null;
  const length = a.document.lines[line]?.length ?? 0;
  return { contents: { kind: MarkupKind.Markdown, value: text }, range: { start: { line, character: 0 }, end: { line, character: length } } };
}
