/**
 * The static tier's workers (server/dist/static-worker.js), so that the language server's thread
 * never analyses a document and one slow document never holds back another's diagnostics. They
 * also list the scenarios that apply to a document (static-task.ts). Built on the explorer's WorkerPool (the one place that starts worker threads), in two lanes:
 * - light: `lightWorkers` workers (two), started and warmed with the server, for ordinary documents;
 * - heavy: one worker for large texts and for documents whose last analysis was slow, so that
 *   such a document queues behind other heavy ones only, never in front of a light one.
 * Cancelling (a newer version, a close) settles the job at once as cancelled. `analyze` cannot be
 * interrupted, so the pool lets a light job finish within `graceMs` and then terminates its worker
 * (a heavy one at once); a fresh worker is started and warmed in its place. A job still running
 * at its time bound (counted from its start on a worker) is stopped the same way and reported as
 * `stopped`, never silently; so is a worker that dies (its heap limit, a crash).
 * Limits: no heap ceiling of its own (WorkerPool starts workers with node's default limits; the
 * size bound keeps a document's analysis small); a terminated worker's replacement costs a warm-up
 * (C parser, era libraries: a few hundred ms of CPU), paid off the server's thread.
 */
import type { Abi } from '../lower/ctypes';
import { join } from 'node:path';
import type { Analysis } from '../analysis';
import { WorkerPool } from '../explore/worker-pool';
import { traceAnalyses } from './analysis-trace';
import type { StopReason } from './static-bounds';
import { STATIC_TASK, type Applies, type StaticParams, type StaticResult } from './static-task';

export type StaticOutcome =
  | { kind: 'done'; analysis: Analysis; ms: number }
  | { kind: 'listed'; listing: Applies[]; ms: number }
  | { kind: 'stopped'; reason: StopReason; ms: number; detail?: string }
  | { kind: 'cancelled' };

export interface StaticRequest {
  uri: string;
  /** The document version the text is of (the analysis trace names it). */
  version: number;
  /** Names the job in log messages (`file:///a.patch v3`). */
  label: string;
  text: string;
  path: string;
  maxMs: number;
  /** The C data model to lower with (absent: lp64). */
  abi?: Abi;
}

export interface StaticHandle {
  result: Promise<StaticOutcome>;
  cancel(why: string): void;
}

export interface StaticPoolOptions {
  lightWorkers?: number;
  /** The worker script: static-worker.js beside the bundle by default. */
  workerFile?: string;
  /** e.g. ['--import', 'tsx'] to run static-worker.ts from source. */
  execArgv?: string[];
  /** How long a cancelled light job may run on before its worker is terminated (ms). */
  graceMs?: number;
  /** Texts longer than this go to the heavy lane (chars). */
  heavyChars?: number;
  /** A document whose last analysis took longer than this goes to the heavy lane (ms). */
  heavyMs?: number;
  log?(message: string): void;
}

/** What WorkerPool resolves a cancelled job to: it was dropped from the queue or its worker terminated. */
const DROPPED = { kind: 'dropped' } as const;
type LaneResult = StaticResult | typeof DROPPED;

export class StaticPool {
  private readonly light: WorkerPool;
  private readonly heavy: WorkerPool;
  private readonly lastMs = new Map<string, number>();
  private readonly o: Required<Pick<StaticPoolOptions, 'lightWorkers' | 'graceMs' | 'heavyChars' | 'heavyMs'>> & StaticPoolOptions;
  private disposed = false;

  constructor(opts: StaticPoolOptions = {}) {
    this.o = { lightWorkers: 2, graceMs: 40, heavyChars: 64 * 1024, heavyMs: 300, ...opts };
    const workerFile = this.o.workerFile ?? join(__dirname, 'static-worker.js');
    this.light = new WorkerPool({ size: this.o.lightWorkers, graceMs: this.o.graceMs, workerFile, execArgv: this.o.execArgv });
    // Heavy jobs are terminated at once when cancelled: they would not finish within any grace.
    this.heavy = new WorkerPool({ size: 1, graceMs: 0, workerFile, execArgv: this.o.execArgv });
    // One warm-up per worker, queued together so that WorkerPool starts them all now (it starts
    // a worker only for a job that finds none idle). The first loads the parser only, so that the
    // first document waits as little as possible (it warms its own era). The others warm all the
    // era libraries too: a second worker serves documents when the first is busy with a slow one,
    // and should not then pay for a library. Measured: a cold first open costs about 100 ms more
    // than on the server's own thread (a worker's start-up), 200-300 ms more on a busy machine.
    for (let i = 0; i < this.o.lightWorkers; i++) void this.warm(this.light, i === 0 ? 'parser' : 'all');
  }

  /** Analyses `req.text`, or with `params` runs another static task (the scenario listing) on it. */
  analyse(req: StaticRequest, params: StaticParams = { text: req.text, path: req.path, abi: req.abi }): StaticHandle {
    const heavy = req.text.length > this.o.heavyChars || (this.lastMs.get(req.uri) ?? 0) > this.o.heavyMs;
    const lane = heavy ? this.heavy : this.light;
    let settled = false;
    let settle!: (o: StaticOutcome) => void;
    const result = new Promise<StaticOutcome>((resolve) => {
      settle = (o) => { if (!settled) { settled = true; resolve(o); } };
    });
    let started: number | undefined;
    let cancelledAt: number | undefined;
    let why = '';
    let timer: NodeJS.Timeout | undefined;
    // The task reports progress once, as it starts: the time bound counts from there, not from the queue.
    const onStart = (): void => {
      if (started !== undefined || settled) return;
      started = performance.now();
      // Heavy analyses are rare and long: say when one starts, so a wait in the editor is explained.
      if (heavy) this.o.log?.(`kpr: static analysis of ${req.label} started (${Math.ceil(req.text.length / 1024)} KB, heavy lane)`);
      timer = setTimeout(() => {
        if (settled) return;
        this.lastMs.set(req.uri, Number.POSITIVE_INFINITY);
        settle({ kind: 'stopped', reason: 'time', ms: performance.now() - started! });
        this.o.log?.(`kpr: static analysis of ${req.label} stopped at its time bound (${req.maxMs} ms)`);
        cancelledAt = performance.now();
        why = 'time bound';
        stop();
      }, req.maxMs);
      timer.unref();
    };
    // WorkerPool calls the last argument inside `cancel()` for a queued job, and from its grace
    // timer when it terminates the job's worker: that tells the two apart.
    let cancelling = false;
    let terminated = false;
    const handle = lane.run<LaneResult>({ kind: STATIC_TASK, params, strategy: 'dfs' }, onStart, () => {
      if (!cancelling) terminated = true;
      return DROPPED;
    });
    const stop = (): void => {
      cancelling = true;
      handle.cancel();
      cancelling = false;
    };
    handle.result.then(
      (r) => {
        if (timer) clearTimeout(timer);
        if (cancelledAt !== undefined) {
          const how = r !== DROPPED ? 'it finished within the grace period' : terminated ? 'its worker was terminated' : 'it had not started';
          if (r !== DROPPED && r.kind === 'analysis') this.lastMs.set(req.uri, r.ms);
          this.o.log?.(`kpr: static analysis of ${req.label} dropped (${why}) after ${(performance.now() - cancelledAt).toFixed(1)} ms: ${how}`);
          // A terminated worker is gone: start and warm its replacement before a document needs it.
          if (terminated) void this.warm(lane, 'all');
          return;
        }
        if (r.kind === 'analysis' || r.kind === 'listing') traceAnalyses((m) => this.o.log?.(m), r.kind === 'analysis' ? 'static tier' : 'scenario listing', req.uri, req.version, r.analyses);
        if (r.kind === 'analysis') {
          this.lastMs.set(req.uri, r.ms);
          settle({ kind: 'done', analysis: r.analysis, ms: r.ms });
        } else if (r.kind === 'listing') settle({ kind: 'listed', listing: r.listing, ms: r.ms });
        else settle({ kind: 'cancelled' });
      },
      (err: unknown) => {
        if (timer) clearTimeout(timer);
        if (this.disposed) return settle({ kind: 'cancelled' });
        const e = err as Error & { code?: string };
        const memory = e?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(String(e?.message));
        this.lastMs.set(req.uri, Number.POSITIVE_INFINITY);
        settle({ kind: 'stopped', reason: memory ? 'memory' : 'crash', ms: started === undefined ? 0 : performance.now() - started, detail: e?.message ?? String(err) });
        this.o.log?.(`kpr: static analysis of ${req.label} stopped: ${e?.message ?? String(err)}`);
      },
    ).catch((err: unknown) => {
      // A bug above must not leave the caller waiting forever, nor end the process.
      settle({ kind: 'stopped', reason: 'crash', ms: 0, detail: String(err) });
    });
    return {
      result,
      cancel: (reason) => {
        if (settled) return;
        settle({ kind: 'cancelled' });
        cancelledAt = performance.now();
        why = reason;
        if (timer) clearTimeout(timer);
        stop();
      },
    };
  }

  /** The document was closed: forget how slow it was. */
  forget(uri: string): void {
    this.lastMs.delete(uri);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([this.light.close(), this.heavy.close()]);
  }

  /** Queues a warm-up, which starts a worker if the lane has room for one and warms it. */
  private warm(lane: WorkerPool, what: 'parser' | 'all'): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const params: StaticParams = { warm: what };
    return lane.run<LaneResult>({ kind: STATIC_TASK, params, strategy: 'dfs' }, undefined, () => DROPPED).result.then(
      (r) => { if (r.kind === 'warm' && r.error) this.o.log?.(`kpr: static worker warm-up: ${r.error}`); },
      (err: unknown) => { if (!this.disposed) this.o.log?.(`kpr: static worker failed to start: ${err instanceof Error ? err.message : String(err)}`); },
    );
  }
}
