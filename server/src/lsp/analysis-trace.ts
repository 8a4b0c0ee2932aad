/**
 * The trace of analyses (`analyze` calls) the language server's workers make, one log line per
 * task that made any, when the server runs with KPR_TRACE_ANALYSES=1 in its environment:
 *   `kpr: 1 analysis by the static tier of file:///a.patch v3`
 * The design is one analysis per document version (ARCHITECTURE.md, "Threads"): the static
 * tier's worker makes it, and the scenario listing and the model tier are handed its result. A
 * protocol test (test/protocol/one-analysis.test.ts) counts these lines to hold the server to it;
 * the tasks report what they made (`counted` in analysis.ts), so an analysis slipped into
 * any of them shows. Off by default: a line per keystroke is noise in a user's output channel.
 */

/** Read once: the environment of a running server does not change. */
const enabled = process.env.KPR_TRACE_ANALYSES === '1';

/** Logs that `task` analysed version `version` of `uri` `count` times (nothing when the trace is off or it made none). */
export function traceAnalyses(log: (message: string) => void, task: string, uri: string, version: number, count: number): void {
  if (!enabled || count === 0) return;
  log(`kpr: ${count} ${count === 1 ? 'analysis' : 'analyses'} by the ${task} of ${uri} v${version}`);
}
