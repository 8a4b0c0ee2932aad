/**
 * Code lenses above each function the document changes: one per applicable scenario, showing the
 * verdict of its last run on this version of the document, or offering to run it. Clicking runs
 * `kpr.runScenario` with the document's uri and the scenario id, which the VS Code client turns
 * into a run with progress and the trace view, and any other client sends back to the server.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { PatchFunction } from '../functions/types';
import { summarize, type RunCache, type ScenarioInfo } from './runs';

export const RUN_SCENARIO = 'kpr.runScenario';

export function codeLenses(
  uri: string,
  version: number,
  functions: readonly PatchFunction[],
  scenarios: readonly ScenarioInfo[],
  cache: RunCache,
): CodeLens[] {
  const applicable = scenarios.filter((s) => s.applies);
  const lenses: CodeLens[] = [];
  for (const fn of functions) {
    const line = fn.range.start.line;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    for (const s of applicable) {
      const run = cache.get(uri, version, s.id);
      const title = run ? summarize(run) : `▷ Run ${s.id}`;
      lenses.push({ range, command: { title, command: RUN_SCENARIO, arguments: [uri, s.id] }, data: { scenario: s.id, function: fn.name } });
    }
  }
  return lenses;
}
