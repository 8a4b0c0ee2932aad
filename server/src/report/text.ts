/**
 * Human-readable output of `kpr check`: one line per finding in the compiler style that editors
 * and terminals turn into links (`path:line:col: severity rule [status] message`), then a summary.
 */
import type { Analysis } from '../analysis';
import type { Finding } from '../findings';

export function findingLine(path: string, f: Finding): string {
  const where = `${path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const scenario = f.scenario ? ` (scenario ${f.scenario})` : '';
  return `${where}: ${f.severity} ${f.rule} [${f.status}] ${f.message}${scenario}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(analyses: readonly Analysis[]): string {
  const out: string[] = [];
  const bySeverity = new Map<string, number>();
  let files = 0;
  let hunks = 0;
  let findings = 0;
  for (const a of analyses) {
    files += a.document.files.length;
    hunks += a.document.files.reduce((n, f) => n + f.hunks.length, 0);
    for (const f of a.findings) {
      out.push(findingLine(a.document.path, f));
      bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
      findings++;
      for (const r of f.related ?? []) out.push(`  ${a.document.path}:${r.range.start.line + 1}:${r.range.start.character + 1}: note: ${r.message}`);
    }
  }
  const counts = ['error', 'warning', 'information', 'hint']
    .filter((s) => bySeverity.has(s))
    .map((s) => plural(bySeverity.get(s) ?? 0, s === 'information' ? 'note' : s));
  const detail = counts.length ? ` (${counts.join(', ')})` : '';
  out.push(`${plural(analyses.length, 'document')}, ${plural(files, 'file')}, ${plural(hunks, 'hunk')}: ${plural(findings, 'finding')}${detail}`);
  return out.join('\n') + '\n';
}
