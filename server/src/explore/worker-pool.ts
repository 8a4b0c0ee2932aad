/**
 * Runs searches on worker threads so the language server never blocks. One search per worker at a
 * time; at most `size` workers; further jobs wait in a queue. Cancelling sets the job's shared flag
 * (honoured within `checkEvery` states); if no result comes back within `graceMs` the worker is
 * terminated and the job ends as cancelled with the last progress reported.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { Job } from './registry';
import type { Progress, SearchResult } from './search';
import type { WorkerIn, WorkerOut } from './worker-loop';

export interface PoolOptions {
  size?: number;
  /** The worker script: server/dist/worker.js by default (beside the bundle). */
  workerFile?: string;
  /** e.g. ['--import', 'tsx'] to run worker.ts from source in tests. */
  execArgv?: string[];
  graceMs?: number;
}

export interface RunHandle<R = SearchResult> {
  result: Promise<R>;
  cancel(): void;
}

interface Pending {
  id: number;
  job: Job;
  flag: SharedArrayBuffer;
  onProgress?: (p: Progress) => void;
  last: Progress;
  /** What a cancelled job resolves to (a search: an incomplete result with the last progress). */
  cancelled: (last: Progress) => unknown;
  resolve(r: unknown): void;
  reject(e: Error): void;
  isCancelled: boolean;
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private readonly size: number;
  private readonly graceMs: number;

  constructor(private readonly opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? 1);
    this.graceMs = opts.graceMs ?? 1000;
  }

  /**
   * Queues a job. For a search the result is a SearchResult; for a registered task it is what the
   * task returns, and `onCancel` says what a cancelled task resolves to.
   */
  run<R = SearchResult>(job: Job, onProgress?: (p: Progress) => void, onCancel: (last: Progress) => R = cancelledResult as (last: Progress) => R): RunHandle<R> {
    let p!: Pending;
    const result = new Promise<R>((resolve, reject) => {
      p = {
        id: this.nextId++, job, flag: new SharedArrayBuffer(4), onProgress, last: { states: 0, transitions: 0, ms: 0 },
        cancelled: onCancel, resolve: resolve as (r: unknown) => void, reject, isCancelled: false,
      };
    });
    this.queue.push(p);
    this.pump();
    return { result, cancel: () => this.cancel(p) };
  }

  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    for (const p of this.queue.splice(0)) p.reject(new Error('pool closed'));
    await Promise.all(all.map((w) => w.terminate()));
  }

  private cancel(p: Pending): void {
    if (p.isCancelled) return;
    p.isCancelled = true;
    const q = this.queue.indexOf(p);
    if (q >= 0) {
      this.queue.splice(q, 1);
      p.resolve(p.cancelled(p.last));
      return;
    }
    Atomics.store(new Int32Array(p.flag), 0, 1);
    const timer = setTimeout(() => {
      for (const [w, b] of this.busy) {
        if (b !== p) continue;
        this.busy.delete(w);
        void w.terminate();
        p.resolve(p.cancelled(p.last));
        this.pump();
      }
    }, this.graceMs);
    timer.unref();
  }

  private pump(): void {
    while (this.queue.length && (this.idle.length || this.busy.size < this.size)) {
      const p = this.queue.shift()!;
      const w = this.idle.pop() ?? this.spawn();
      this.busy.set(w, p);
      w.postMessage({ type: 'run', id: p.id, job: p.job, flag: p.flag } satisfies WorkerIn);
    }
  }

  private spawn(): Worker {
    const file = this.opts.workerFile ?? join(__dirname, 'worker.js');
    const w = new Worker(file, { execArgv: this.opts.execArgv });
    w.on('message', (m: WorkerOut) => {
      const p = this.busy.get(w);
      if (!p || m.id !== p.id) return;
      if (m.type === 'progress') {
        p.last = m.progress;
        p.onProgress?.(m.progress);
        return;
      }
      this.busy.delete(w);
      this.idle.push(w);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
      this.pump();
    });
    const fail = (e: Error) => {
      const p = this.busy.get(w);
      this.busy.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      p?.reject(e);
      this.pump();
    };
    w.on('error', fail);
    w.on('exit', (code) => { if (this.busy.has(w)) fail(new Error(`worker exited with code ${code}`)); });
    return w;
  }
}

function cancelledResult(last: Progress): SearchResult {
  return { violations: [], complete: false, reason: 'cancelled', states: last.states, transitions: last.transitions, ms: last.ms };
}
