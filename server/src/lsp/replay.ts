/**
 * A RunProvider that replays recorded runs from a JSON file instead of running the model. Named by
 * the environment variable KPR_REPLAY_RUNS, so the protocol tests (and anyone working on the editor
 * surfaces) can drive the built server with known runs; an environment variable, not a setting,
 * so that no workspace can point the server at a file.
 *
 * File shape: { document: "<file name the runs belong to>", scenarios: ScenarioInfo[],
 *               runs: { [scenarioId]: ScenarioRun }, findings: Finding[] }
 */
import { readFileSync } from 'node:fs';
import type { Finding } from '../findings';
import type { ScenarioRun } from '../verdict/scenario-run';
import type { ScenarioInfo } from '../protocol';
import type { RunProvider } from './runs';

interface ReplayFile {
  document: string;
  scenarios: ScenarioInfo[];
  runs: Record<string, ScenarioRun>;
  findings: Finding[];
}

function isReplayFile(v: unknown): v is ReplayFile {
  const o = v as Partial<ReplayFile> | null;
  return typeof o === 'object' && o !== null && typeof o.document === 'string' && Array.isArray(o.scenarios) &&
    typeof o.runs === 'object' && o.runs !== null && Array.isArray(o.findings);
}

/** Only the document the recording was made for gets its scenarios and findings. */
function matches(uri: string, name: string): boolean {
  return decodeURIComponent(uri).endsWith(`/${name}`) || uri === name;
}

export function replayProvider(file: ReplayFile): RunProvider {
  return {
    scenariosFor: (uri, doc) => (matches(uri, file.document) ? file.scenarios.filter((s) => !s.user || doc.userScenarioFolder !== undefined) : []),
    run: async (uri, scenarioId, token) => {
      const run = file.runs[scenarioId];
      if (!matches(uri, file.document) || !run) throw new Error(`no recorded run of ${scenarioId} for ${uri}`);
      // A real run yields to the event loop; do the same so cancellation has a chance to arrive.
      await new Promise((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) throw new Error('cancelled');
      return run;
    },
    findings: (uri) => (matches(uri, file.document) ? file.findings : []),
  };
}

/** The replay provider named by KPR_REPLAY_RUNS, or undefined (with the reason) when none is set or it is unreadable. */
export function replayFromEnvironment(env: NodeJS.ProcessEnv = process.env): { provider?: RunProvider; error?: string } {
  const path = env.KPR_REPLAY_RUNS;
  if (!path) return {};
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isReplayFile(value)) return { error: `KPR_REPLAY_RUNS: ${path} is not a replay file (document, scenarios, runs, findings)` };
    return { provider: replayProvider(value) };
  } catch (err) {
    return { error: `KPR_REPLAY_RUNS: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
