/**
 * Jobs: a serialisable description of work for a worker, and the maps from job kind to what runs
 * it. A task (registerTask) is any work that returns a cloneable result: the engine registers the
 * model tier's and the static tier's tasks. A search job's kind names a system factory
 * (registerSystem); the engine registers none (its searches run inside tasks), the explorer's
 * tests register small systems of their own. A worker runs only the kinds registered in it.
 */
import { bounded } from './bounded';
import { dfs } from './dfs';
import { dpor } from './dpor';
import type { CancelToken, Progress, SearchOptions, SearchResult } from './search';
import type { System } from './system';

export type Strategy = 'dfs' | 'dpor' | 'bounded';

/** Search options that survive structured clone (no signal, no callback). */
export type JobOptions = Omit<SearchOptions, 'signal' | 'onProgress'>;

export interface Job {
  kind: string;
  params?: unknown;
  strategy: Strategy;
  options?: JobOptions;
}

export type SystemFactory = (params: unknown) => System<unknown>;

const factories = new Map<string, SystemFactory>();

export function registerSystem(kind: string, factory: SystemFactory): void {
  factories.set(kind, factory);
}

export function systemKinds(): string[] {
  return [...factories.keys()].sort();
}

export function buildSystem(kind: string, params: unknown): System<unknown> {
  const f = factories.get(kind);
  if (!f) throw new Error(`unknown system kind ${JSON.stringify(kind)}; known: ${systemKinds().join(', ')}`);
  return f(params);
}

export function search<S>(sys: System<S>, strategy: Strategy, opts: SearchOptions): SearchResult {
  switch (strategy) {
    case 'dfs': return dfs(sys, opts);
    case 'dpor': return dpor(sys, opts);
    case 'bounded': return bounded(sys, opts);
  }
}

/**
 * A task: work other than one search that should still run off the caller's thread (the model
 * tier of a whole document, one scenario run with its traces). Its result must survive
 * structured clone.
 */
export type Task = (params: unknown, signal?: CancelToken, onProgress?: (p: Progress) => void) => unknown;

const tasks = new Map<string, Task>();

export function registerTask(kind: string, task: Task): void {
  tasks.set(kind, task);
}

/** Runs a job in the calling thread (the worker does this; tests and the CLI may too). */
export function runJob(job: Job, signal?: CancelToken, onProgress?: (p: Progress) => void): SearchResult {
  return search(buildSystem(job.kind, job.params), job.strategy, { ...job.options, signal, onProgress });
}

/** Runs a registered task, or else the job's search. */
export function runWork(job: Job, signal?: CancelToken, onProgress?: (p: Progress) => void): unknown {
  const task = tasks.get(job.kind);
  return task ? task(job.params, signal, onProgress) : runJob(job, signal, onProgress);
}
