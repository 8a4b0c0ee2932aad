/**
 * Code lenses: the verdict of each message on its first line (its subject in a mail), and one lens
 * per function the document changes carrying the verdict the model tier already has for it, so no
 * run is needed to read it. The message's lens runs `kpr.showVerdict` (the VS Code client reveals
 * the Patch Verdict view); a function's lens runs `kpr.runScenario` with the document's uri, which
 * the VS Code client turns into the quick pick of scenarios (each with its verdict), a run and the
 * trace view.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis';
import type { Finding } from '../findings';
import type { PatchFunction } from '../functions/patch-function';
import { verdictSummary } from '../verdict/summary';
import { messageVerdicts, VERDICT_BUCKETS, verdictCounts, type VerdictSummary } from '../report/verdict-line';
import { RUN_SCENARIO, type ModelState } from '../protocol';

export const SHOW_VERDICT = 'kpr.showVerdict';

/** `introduces invalidate-eio, livelock · fixes mapped-uptodate`: the non-empty buckets with their rules. */
export function verdictRules(v: VerdictSummary): string {
  return VERDICT_BUCKETS.filter((b) => v[b.key].length > 0).map((b) => `${b.label} ${v[b.key].join(', ')}`).join(' · ');
}

/** The findings that lie in a changed function: named by the engine, or inside its range. */
export function findingsOf(fn: PatchFunction, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => (f.function !== undefined ? f.function === fn.name : fn.range.start.line <= f.range.start.line && f.range.start.line <= fn.range.end.line));
}

function lensAt(line: number, title: string, command: string, args: unknown[], data: object): CodeLens {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command, arguments: args }, data };
}

export function codeLenses(uri: string, a: Pick<Analysis, 'document' | 'functions' | 'findings'>, model: ModelState): CodeLens[] {
  const waiting = model === 'analysing' ? ' (model analysing…)' : '';
  const lenses: CodeLens[] = [];
  for (const m of messageVerdicts(a)) {
    lenses.push(lensAt(m.line, `kpr verdict: ${verdictCounts(m.verdict)}${waiting}`, SHOW_VERDICT, [uri, m.index], { message: m.index }));
  }
  const seen = new Set<number>();
  for (const fn of a.functions) {
    const line = fn.range.start.line;
    if (seen.has(line)) continue;
    seen.add(line);
    const words = verdictRules(verdictSummary(findingsOf(fn, a.findings)));
    const verdict = words || (model === 'done' ? 'nothing breaks' : model === 'off' ? 'model tier off' : 'analysing…');
    lenses.push(lensAt(line, `${fn.name}: ${verdict}${words ? waiting : ''} · ▷ Run Scenario…`, RUN_SCENARIO, [uri], { function: fn.name }));
  }
  return lenses;
}
