/** `kpr check`: analyse every FILE and print one report in the chosen format. */
import { analyze, analyzeModelSync, hasBlockingFinding, type Analysis } from '../analysis';
import { formatJson } from '../report/json';
import { formatSarif } from '../report/sarif';
import { formatText } from '../report/text';
import { terminalTextOptions } from './terminal';
import type { Format } from './args';
import { readInput } from './read';
import { loadScenarioSet, warnProblems } from './scenarios';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Returns the exit status: 2 when a file (or the folder given with --scenarios) cannot be read,
 * 1 for a blocking finding, else 0. The model tier runs the built-in scenarios and the users'
 * (`scenarioDir`, default .kpr/scenarios); a bad scenario file is a warning on stderr and is left
 * out, since it says nothing about the documents checked.
 */
export async function runCheck(files: readonly string[], format: Format, io: Io, model = false, scenarioDir?: string): Promise<number> {
  const inputs = await Promise.all(files.map(readInput));
  const failed = inputs.filter((r) => !r.ok);
  if (failed.length > 0) {
    for (const r of failed) if (!r.ok) io.err(`kpr: cannot read ${r.path}: ${r.error}\n`);
    return 2;
  }
  const set = model ? loadScenarioSet(scenarioDir) : undefined;
  if (set && 'error' in set) { io.err(`kpr: ${set.error}\n`); return 2; }
  if (set) warnProblems(set.problems, io);
  const analyses: Analysis[] = [];
  for (const r of inputs) if (r.ok) analyses.push(analyze(r.text, r.path, { decodeProblems: r.problems }));
  if (model) {
    // The model tier: progress on stderr once a document takes more than a second.
    for (const a of analyses) {
      let shown = false;
      analyzeModelSync(a, {
        scenarios: set?.all,
        onProgress: (p) => {
          if (p.ms < 1000) return;
          shown = true;
          io.err(`kpr: ${a.document.path}: ${p.scenario} (${p.side}) ${p.states} states\r`);
        },
      });
      if (shown) io.err(`kpr: ${a.document.path}: ${a.stats.scenarios} scenarios, ${a.stats.states} states, ${a.stats.ms} ms\n`);
    }
  }
  io.out(format === 'json' ? formatJson(analyses) : format === 'sarif' ? formatSarif(analyses) : formatText(analyses, terminalTextOptions()));
  return analyses.some((a) => hasBlockingFinding(a.findings)) ? 1 : 0;
}
