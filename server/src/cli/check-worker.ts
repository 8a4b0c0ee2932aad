/**
 * The worker thread of `kpr check` (bundled as server/dist/check-worker.js): one document's
 * analysis, static and model tier, off the CLI's main thread, so that the main thread can stop
 * it at the time bound (by terminating the worker: `analyze` cannot be interrupted) and so that
 * its heap has a ceiling of its own (resourceLimits, set by check-job.ts). The result crosses
 * back by structured clone (an Analysis is plain data).
 */
import { parentPort } from 'node:worker_threads';
import { analyze, analyzeModelSync, initAnalysis, markIncomplete, useEngineAssets, type Analysis } from '../analysis';
import { readEngineAssets } from '../engine-assets';
import type { IntakeProblem } from '../intake/document';
import type { Abi } from '../lower/ctypes';
import type { ScenarioSpec } from '../scenarios/spec';
import type { MemoryModel } from '../model/weak';

export interface CheckJob {
  text: string;
  path: string;
  decodeProblems: IntakeProblem[];
  model: boolean;
  /** Every scenario to choose from (built-in and the users' valid ones). */
  scenarios?: ScenarioSpec[];
  /** The C data model to lower with (`--abi`; absent: lp64). */
  abi?: Abi;
  /** What is left of the document's time bound when the model tier starts is its budget. */
  maxMs: number;
  /** The memory model of the model tier (`--memory-model`; default `sc`). */
  memoryModel?: MemoryModel;
}

export type CheckOut =
  | { type: 'progress'; scenario: string; side: string; states: number; ms: number }
  | { type: 'result'; analysis: Analysis }
  | { type: 'error'; message: string };

/** The time kept back from the model tier's budget for its findings to be built and sent. */
const MARGIN_MS = 500;

export async function runCheckJob(job: CheckJob, post: (m: CheckOut) => void): Promise<void> {
  const started = performance.now();
  let parserError: string | undefined;
  try {
    await initAnalysis();
  } catch (err) {
    parserError = err instanceof Error ? err.message : String(err);
  }
  const analysis = analyze(job.text, job.path, { decodeProblems: job.decodeProblems, abi: job.abi, memoryModel: job.memoryModel });
  if (parserError !== undefined) markIncomplete(analysis, `the C parser is unavailable: ${parserError}`);
  if (job.model) {
    const budgetMs = Math.max(1, job.maxMs - (performance.now() - started) - MARGIN_MS);
    analyzeModelSync(analysis, {
      scenarios: job.scenarios,
      budgetMs,
      onProgress: (p) => post({ type: 'progress', scenario: p.scenario, side: p.side, states: p.states, ms: p.ms }),
    });
  }
  post({ type: 'result', analysis });
}

const port = parentPort;
if (port) {
  useEngineAssets(readEngineAssets());
  port.on('message', (job: CheckJob) => {
    const post = (m: CheckOut) => port.postMessage(m);
    runCheckJob(job, post).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  });
}
