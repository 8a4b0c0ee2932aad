/** `kpr check`: analyse every FILE and print one report in the chosen format. */
import { hasBlockingFinding, markIncomplete, type Analysis } from '../analysis';
import type { Finding } from '../findings';
import type { MemoryModel } from '../model/weak';
import { cutToBound } from '../intake/cut';
import { parseDocument } from '../intake/parse';
import type { Abi } from '../lower/ctypes';
import { escapeControls } from '../intake/control-chars';
import { formatJson } from '../report/json';
import { formatSarif } from '../report/sarif';
import { formatText } from '../report/text';
import { terminalTextOptions } from './terminal';
import type { Format } from './args';
import { CheckRunner, DEFAULT_CHECK_BOUNDS, type CheckBounds, type JobOutcome } from './check-job';
import { readInput } from './read';
import { loadScenarioSet, scenarioFolderExists, warnProblems } from './scenarios';
import type { Io } from './io';

/** Exit statuses of `kpr check` (README, `--help`): the first that applies wins, in this order. */
export const EXIT = { ok: 0, blocking: 1, usage: 2, incomplete: 3 } as const;

/** A finding on `line` that says the analysis stopped there and why (a bound, or a failure). */
function stopFinding(line: number, message: string): Finding {
  return {
    rule: 'patch-syntax', severity: 'warning', status: 'introduced', tier: 'static', message,
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
  };
}

const STOP_WHY: Record<Exclude<JobOutcome, { ok: true }>['stop'], string> = {
  time: 'the time bound (--max-ms) stopped it',
  memory: 'it needed more memory than the bound (--max-heap-mb)',
  crash: 'an internal error ended it',
};

/** The analysis to report for a document whose worker was stopped: its intake, and why. */
function stoppedAnalysis(text: string, path: string, o: Exclude<JobOutcome, { ok: true }>): Analysis {
  let document: Analysis['document'];
  try {
    document = parseDocument(text, path);
  } catch {
    document = { path, kind: 'prose', lines: [], messages: [], files: [], codeBlocks: [], problems: [] };
  }
  const message = `Analysis stopped: ${STOP_WHY[o.stop]} (${o.detail}). No finding of this document is shown; it is not judged.`;
  const a: Analysis = { document, functions: [], findings: [stopFinding(0, message)], stats: { scenarios: 0, states: 0, ms: 0 } };
  markIncomplete(a, message);
  return a;
}

/**
 * Returns the exit status: 2 when a file (or the folder given with --scenarios) cannot be read,
 * 1 for a blocking finding, 3 when some analysis is incomplete (a bound stopped it, a search did
 * not cover its bounded space, or a stage failed), else 0. The model tier runs the built-in
 * scenarios and the users' (`scenarioDir`, default .kpr/scenarios); a bad scenario file is a
 * warning on stderr and is left out, since it says nothing about the documents checked.
 * Each document runs on a worker under `bounds` (check-job.ts).
 */
export async function runCheck(
  files: readonly string[], format: Format, io: Io, model = false, scenarioDir?: string, bounds: CheckBounds = DEFAULT_CHECK_BOUNDS, abi?: Abi,
  memoryModel?: MemoryModel, prepareParser?: () => Promise<void>,
): Promise<number> {
  const maxChars = bounds.maxKb * 1024;
  const inputs = await Promise.all(files.map((f) => readInput(f, maxChars)));
  const failed = inputs.filter((r) => !r.ok);
  if (failed.length > 0) {
    for (const r of failed) if (!r.ok) io.err(`kpr: cannot read ${escapeControls(r.path)}: ${r.error}\n`);
    return EXIT.usage;
  }
  // Users' scenarios are checked against the libraries' parse: the parser loads on this thread
  // only when there is a folder to read (the documents are analysed on the worker).
  if (model && prepareParser && scenarioFolderExists(scenarioDir)) await prepareParser();
  const set = model ? loadScenarioSet(scenarioDir) : undefined;
  if (set && 'error' in set) { io.err(`kpr: ${escapeControls(set.error)}\n`); return EXIT.usage; }
  if (set) warnProblems(set.problems, io);
  const runner = new CheckRunner(bounds);
  const analyses: Analysis[] = [];
  try {
    for (const r of inputs) {
      if (!r.ok) continue;
      const cut = r.truncated || r.text.length > maxChars ? cutToBound(r.text, Math.min(maxChars, r.text.length - 1)) : { text: r.text, totalChars: r.text.length };
      // Progress on stderr once a document's model tier takes more than a second.
      let shown = false;
      const outcome = await runner.run({ text: cut.text, path: r.path, decodeProblems: r.problems, model, scenarios: set?.all, abi, memoryModel }, (p) => {
        if (p.ms < 1000) return;
        shown = true;
        io.progress(`kpr: ${escapeControls(r.path)}: ${p.scenario} (${p.side}) ${p.states} states`);
      });
      const a = outcome.ok ? outcome.analysis : stoppedAnalysis(cut.text, r.path, outcome);
      if (shown) io.err(`kpr: ${escapeControls(r.path)}: ${a.stats.scenarios} scenarios, ${a.stats.states} states, ${a.stats.ms} ms\n`);
      if (cut.cutLine !== undefined) {
        const size = r.truncated?.totalBytes !== undefined ? `has ${Math.ceil(r.truncated.totalBytes / 1024)} KB, more than` : 'is longer than';
        const message = `Analysis stopped before line ${cut.cutLine + 1}: the document ${size} the bound of ${bounds.maxKb} KB (--max-kb). Nothing from here to the end is checked.`;
        // A hunk larger than the bound is cut inside: intake then calls it cut off, an error of
        // the bound's making, not the patch's. It stays, as a warning that says so.
        for (const f of a.findings) {
          if (f.rule === 'patch-syntax' && f.severity === 'error' && f.range.end.line === cut.cutLine - 1) {
            f.severity = 'warning';
            f.message += ` (the --max-kb bound cut the document here)`;
          }
        }
        a.findings.push(stopFinding(cut.cutLine, message));
        markIncomplete(a, message);
      }
      analyses.push(a);
    }
  } finally {
    runner.close();
  }
  io.out(format === 'json' ? formatJson(analyses) : format === 'sarif' ? formatSarif(analyses) : formatText(analyses, terminalTextOptions()));
  for (const a of analyses) for (const why of a.incomplete ?? []) io.err(`kpr: ${escapeControls(a.document.path)}: analysis incomplete: ${escapeControls(why)}\n`);
  if (analyses.some((a) => hasBlockingFinding(a.findings))) return EXIT.blocking;
  return analyses.some((a) => (a.incomplete?.length ?? 0) > 0) ? EXIT.incomplete : EXIT.ok;
}
