/**
 * Runs `kpr check`'s documents on a worker thread (check-worker.ts) under the CLI's bounds:
 * - time: a document still running after `maxMs` has its worker terminated (the facade cannot
 *   be interrupted; the model tier also gets what is left as its own budget, so it usually ends
 *   first with its unsearched scenarios named);
 * - memory: the worker's heap has a ceiling of `maxHeapMb`; crossing it ends the worker;
 * - a crash of the worker (an internal error) ends that document's analysis.
 * Each of these is an outcome the caller reports as an incomplete analysis, never silence.
 * One worker serves the documents in turn and is replaced after a stop.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../analysis';
import type { CheckJob, CheckOut } from './check-worker';

export interface CheckBounds {
  /** Wall time for one document, static and model tier (`--max-ms`). */
  maxMs: number;
  /** Largest input analysed per document, in KiB (`--max-kb`). */
  maxKb: number;
  /** Heap ceiling of the analysis worker, in MiB (`--max-heap-mb`). */
  maxHeapMb: number;
}

/** CI-friendly defaults: generous for any real patch, finite for a hostile one. */
export const DEFAULT_CHECK_BOUNDS: CheckBounds = { maxMs: 300_000, maxKb: 10_240, maxHeapMb: 2_048 };

export type JobOutcome =
  | { ok: true; analysis: Analysis }
  | { ok: false; stop: 'time' | 'memory' | 'crash'; detail: string };

export type ProgressSink = (p: Extract<CheckOut, { type: 'progress' }>) => void;

export class CheckRunner {
  private worker: Worker | undefined;

  constructor(private readonly bounds: CheckBounds, private readonly workerFile = join(__dirname, 'check-worker.js')) {}

  run(job: Omit<CheckJob, 'maxMs'>, onProgress?: ProgressSink): Promise<JobOutcome> {
    const worker = (this.worker ??= new Worker(this.workerFile, { resourceLimits: { maxOldGenerationSizeMb: this.bounds.maxHeapMb } }));
    return new Promise<JobOutcome>((resolve) => {
      let settled = false;
      const finish = (o: JobOutcome, discard: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (discard) this.discard(worker);
        resolve(o);
      };
      const onMessage = (m: CheckOut) => {
        if (m.type === 'progress') onProgress?.(m);
        else if (m.type === 'result') finish({ ok: true, analysis: m.analysis }, false);
        else finish({ ok: false, stop: 'crash', detail: m.message }, true);
      };
      const onError = (err: Error & { code?: string }) => {
        const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish({ ok: false, stop: memory ? 'memory' : 'crash', detail: memory ? `its heap reached the ${this.bounds.maxHeapMb} MB ceiling` : err.message }, true);
      };
      const onExit = (code: number) => finish({ ok: false, stop: 'crash', detail: `the analysis worker exited with code ${code}` }, true);
      const timer = setTimeout(() => finish({ ok: false, stop: 'time', detail: `it was still running after ${this.bounds.maxMs} ms` }, true), this.bounds.maxMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ ...job, maxMs: this.bounds.maxMs } satisfies CheckJob);
    });
  }

  /** Ends the worker so the process can exit. */
  close(): void {
    if (this.worker) this.discard(this.worker);
  }

  private discard(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    void worker.terminate();
  }
}
