/**
 * Human-readable output of `kpr check`. Per document: findings grouped under the function they lie
 * in, each one compiler-style line that editors and terminals turn into links
 * (`path:line:col: severity rule [status] message`), then the verdict of each message of the
 * document (report/verdict-line.ts), and at the end one summary line. Before the verdict, how the
 * document's hunks were placed into the model library, with a note at each hunk that was not.
 *
 * The severity word is the one a reviewer sees (report/shown-severity.ts): what the patch fixes is
 * a note, not an error. Options: `color` (ANSI; the CLI turns it on for a terminal without
 * NO_COLOR) and `width` (lines are wrapped at spaces to it, continuation lines indented; a word
 * longer than the width is cut). Control characters from patch or scenario text are printed
 * escaped, so a name cannot move the cursor or change the terminal's colours.
 */
import { escapeControls } from '../intake/control-chars';
import type { Analysis } from '../analysis';
import { primaryRange, scenariosOf, type Finding, type Severity } from '../findings';
import { hunkOwners, placementCounts, placementWords } from '../functions/hunk-owners';
import { shownSeverity } from './shown-severity';
import { messageVerdicts, verdictDetail } from './verdict-line';
import { appendAll } from '../arrays';
import { placementWhy, shownMessage, withNamedLine } from './finding-message';

export interface TextOptions {
  color?: boolean;
  /** Widest line, in characters; undefined: no wrapping. */
  width?: number;
}

const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'hint' };
const SEVERITY_COLOR: Record<Severity, string> = { error: '1;31', warning: '1;33', information: '1;36', hint: '2' };
const STATUS_COLOR: Record<string, string> = { introduced: '31', widened: '31', fixed: '32', narrowed: '32', remaining: '33', present: '33', unjudged: '35' };

/** Control characters as visible escapes: one definition, shared with the scenario loader. */
export { escapeControls };

/** Wraps `text` at spaces so no line is wider than `width`; continuation lines start with `indent`. */
export function wrap(text: string, width: number | undefined, indent = '    '): string[] {
  if (width === undefined || text.length <= width) return [text];
  const room = Math.max(8, width);
  const lines: string[] = [];
  let rest = text;
  let prefix = '';
  while (prefix.length + rest.length > room) {
    const max = room - prefix.length;
    let cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) cut = max; // one word wider than the line: cut it
    lines.push(prefix + rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ +/, '');
    prefix = indent;
  }
  if (rest.length > 0) lines.push(prefix + rest);
  return lines;
}

type Paint = (code: string, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

/** Colours the first occurrence of `word` that lies whole on one of the wrapped lines. */
function paintWord(lines: string[], word: string, code: string, paint: Paint): void {
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf(word);
    if (at >= 0) {
      lines[i] = lines[i]!.slice(0, at) + paint(code, word) + lines[i]!.slice(at + word.length);
      return;
    }
  }
}

/** The plain one-line form of a finding (the first line of its entry in `formatText`). */
export function findingLine(path: string, f: Finding): string {
  const at = primaryRange(f).start;
  const where = `${path}:${at.line + 1}:${at.character + 1}`;
  const scenarios = scenariosOf(f);
  const tail = scenarios.length === 0 ? '' : ` (scenario${scenarios.length > 1 ? 's' : ''} ${scenarios.join(', ')})`;
  return escapeControls(`${where}: ${SEVERITY_WORD[shownSeverity(f)]} ${f.rule} [${f.status}] ${shownMessage(f)}${tail}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Findings in groups by the function (and file) they lie in, groups in order of first appearance. */
function byFunction(a: Analysis): { title: string; findings: Finding[] }[] {
  const groups = new Map<string, { title: string; findings: Finding[] }>();
  for (const f of a.findings) {
    // A finding the engine did not tie to a file still lies in the file section that holds its line.
    const section = a.document.files.find((d) => d.range.start.line <= f.range.start.line && f.range.start.line <= d.range.end.line);
    const file = f.file ?? (section ? (section.newPath ?? section.oldPath ?? undefined) : undefined);
    const key = `${file ?? ''}\u0000${f.function ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      const title = f.function ? `${f.function}()${file ? ` in ${file}` : ''}` : file ? `${file}, outside any function` : 'outside the diff';
      g = { title, findings: [] };
      groups.set(key, g);
    }
    g.findings.push(f);
  }
  return [...groups.values()];
}

/**
 * How the document's hunks were placed into the library (DESIGN section 4): one line of counts,
 * then a note per hunk that was not placed, at its `@@` line, since the model ran none of it.
 * Nothing for a document whose hunks change no function the library could hold.
 */
function placementLines(a: Analysis, width: number | undefined): string[] {
  const path = a.document.path;
  const owners = hunkOwners(a.document, a.functions);
  const all = owners.flat();
  if (!all.some((o) => o.placement)) return [];
  const out = wrap(escapeControls(`${path}: placement of ${plural(all.length, 'hunk')}: ${placementCounts(all)}`), width);
  a.document.files.forEach((f, fi) => f.hunks.forEach((h, hi) => {
    const p = owners[fi]?.[hi]?.placement;
    if (p?.placement !== 'not-placed' && p?.placement !== 'fragment') return;
    const fn = owners[fi]![hi]!.function;
    appendAll(out, wrap(escapeControls(`  ${path}:${h.line + 1}:1: note: hunk ${fn ? `of ${fn}() ` : ''}${placementWords(p, placementWhy(p))}`), width, '      '));
  }));
  return out;
}

export function formatText(analyses: readonly Analysis[], options: TextOptions = {}): string {
  const paint = painter(options.color === true);
  const width = options.width;
  const out: string[] = [];
  const bySeverity = new Map<Severity, number>();
  let files = 0;
  let hunks = 0;
  let findings = 0;
  for (const a of analyses) {
    const path = a.document.path;
    files += a.document.files.length;
    hunks += a.document.files.reduce((n, f) => n + f.hunks.length, 0);
    for (const g of byFunction(a)) {
      for (const l of wrap(escapeControls(`${path}: ${g.title}`), width)) out.push(paint('1', l));
      for (const f of g.findings) {
        const sev = shownSeverity(f);
        const lines = wrap(findingLine(path, f), width);
        paintWord(lines, ` ${SEVERITY_WORD[sev]} `, SEVERITY_COLOR[sev], paint);
        paintWord(lines, `[${f.status}]`, STATUS_COLOR[f.status] ?? '0', paint);
        appendAll(out, lines);
        bySeverity.set(sev, (bySeverity.get(sev) ?? 0) + 1);
        findings++;
        for (const r of f.related ?? []) {
          const note = escapeControls(`  ${path}:${r.range.start.line + 1}:${r.range.start.character + 1}: note: ${withNamedLine(r)}`);
          appendAll(out, wrap(note, width, '      ').map((l) => paint('2', l)));
        }
      }
    }
    appendAll(out, placementLines(a, width).map((l) => paint('2', l)));
    const verdicts = messageVerdicts(a);
    for (const m of verdicts) {
      const of = verdicts.length > 1 ? ` of message ${m.index + 1}${m.subject ? ` (${m.subject})` : ''}` : '';
      const lines = wrap(escapeControls(`${path}: verdict${of}: ${verdictDetail(m.verdict)}`), width);
      appendAll(out, lines.map((l) => paint('1', l)));
    }
  }
  const counts = (['error', 'warning', 'information', 'hint'] as const)
    .filter((s) => bySeverity.has(s))
    .map((s) => plural(bySeverity.get(s) ?? 0, SEVERITY_WORD[s]));
  const detail = counts.length ? ` (${counts.join(', ')})` : '';
  appendAll(out, wrap(`${plural(analyses.length, 'document')}, ${plural(files, 'file')}, ${plural(hunks, 'hunk')}: ${plural(findings, 'finding')}${detail}`, width));
  return out.join('\n') + '\n';
}
