/**
 * The real RunProvider: the model tier run on worker threads (server/dist/worker.js), so the
 * server's own thread only parses and answers. Model findings are computed once per document
 * version, once the static tier has published it and it stayed current for IDLE_MS more; a newer
 * version cancels the older one's search. Until fresh results arrive a
 * document keeps the model findings of its last analysed text, moved to the current lines and
 * marked stale (stale.ts); those on edited lines are dropped. The model tier and every run are
 * handed the version's one analysis, the static tier's (`tierInput`: its text was a prefix under
 * the size bound, static-bounds.ts), and never analyse the text again. A cancelled job is let go
 * within CANCEL_GRACE_MS, and says so in the log (`… dropped (why) after N ms`, which
 * bench/cancel.ts reads).
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import { initAnalysis, listScenarios, type Counted } from '../analysis';
import { WorkerPool } from '../explore/worker-pool';
import type { Finding } from '../findings';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import { loadUserScenarios } from '../scenario-folder';
import type { ScenarioSpec } from '../scenarios/spec';
import type { ModelTierResult } from '../verdict/tier';
import { MODEL_TIER_TASK, SCENARIO_RUN_TASK, tierInput, type ScenarioRunParams, type TierParams } from '../worker/model-tasks';
import type { ScenarioRun } from '../verdict/scenario-run';
import type { ScenarioInfo } from '../protocol';
import type { RunDocument, RunProvider } from './runs';
import { staleFindings } from './stale';
import { traceAnalyses } from './analysis-trace';
import { emptyAnalysis } from './scheduler';

export interface ProviderHooks {
  /** New model findings for this document's current version: publish diagnostics again. */
  republish(uri: string): void;
  log(message: string): void;
  /** Shows progress in the client while the model tier runs; returns the function that ends it. */
  progress?(title: string): () => void;
  /** Which scenarios apply, by id, computed off the server's thread (see RunProvider.attach). */
  listScenarios?(doc: RunDocument, extra: ScenarioSpec[]): Promise<Map<string, boolean> | undefined>;
}

/**
 * What a model-tier result depends on besides the document's path: its version, the data model
 * its analysis was lowered with (`kpr.abi`), and the settings the search runs under
 * (`kpr.memoryModel`, `kpr.bounds.*`). A change of any asks for a new run.
 */
function runKey(doc: RunDocument): string {
  const { bounds, memoryModel } = doc.settings;
  return `${doc.version}|${doc.analysis.abi ?? 'lp64'}|${memoryModel}|${bounds.preemptions}|${bounds.states}|${bounds.ms}`;
}

interface Result {
  version: number;
  key: string;
  /** The text the findings were computed on, to move them onto a later text while it is analysed. */
  text: string;
  findings: Finding[];
}

interface Running {
  key: string;
  cancel(why: string): void;
}

/**
 * How long a cancelled search may run on before its worker is terminated. Searches look at the
 * cancel flag every 256 states, which on the page-cache model can be 100-300 ms apart, and the
 * lowering and planning before a search do not look at it at all: without this bound a cancel
 * took up to 500 ms (bench/cancel.ts). The price of a termination is a fresh worker, started and
 * given the C parser at once (`warm`), so the next document pays only for its era's library.
 */
const CANCEL_GRACE_MS = 60;

/**
 * How long a version must stay current (after the static tier published it) before its model
 * tier starts: while someone types, or opens and closes documents in a row, no search starts
 * only to be cancelled. Without it, each of those cancels terminated a worker in its lowering
 * phase, and the fresh workers never got warm (bench/lsp.ts: a worker started per open).
 */
const IDLE_MS = 400;

/** A pool job with its cancel: `cancel(why)` logs, once the pool has let go, how long that took. */
interface Submitted<R> {
  result: Promise<R | undefined>;
  cancel(why: string): void;
}

export class ModelProvider implements RunProvider {
  /** Two workers: one slow document never holds back another's model tier. */
  private readonly pool: WorkerPool;
  private readonly results = new Map<string, Result>();
  private readonly running = new Map<string, Running>();
  /** Versions waiting for IDLE_MS before their model tier starts. */
  private readonly waiting = new Map<string, { key: string; timer: NodeJS.Timeout }>();
  /** The last listing per document: its version and user scenarios, and which scenarios apply. */
  private readonly listings = new Map<string, { key: string; applies: Promise<Map<string, boolean> | undefined> }>();
  private hooks: ProviderHooks = { republish: () => undefined, log: () => undefined };

  constructor(workerFile?: string) {
    this.pool = new WorkerPool({ size: 2, graceMs: CANCEL_GRACE_MS, workerFile });
  }

  attach(hooks: ProviderHooks): void {
    this.hooks = hooks;
  }

  /**
   * Every scenario and whether it applies. Asked on every code lens request, so the answer is
   * kept per document version (and set of user scenarios); it is computed by the server's
   * `listScenarios` hook off its thread, or here when no hook was given.
   */
  async scenariosFor(uri: string, doc: RunDocument): Promise<ScenarioInfo[]> {
    const user = this.userScenarios(doc);
    const userIds = new Set(user.map((s) => s.id));
    const all = [...BUILTIN_SCENARIOS, ...user];
    const key = `${doc.version}\n${doc.text.length}\n${doc.settings.abi}\n${JSON.stringify(user)}`;
    let entry = this.listings.get(uri);
    if (entry?.key !== key) {
      const list = this.hooks.listScenarios;
      const applies = list
        ? list(doc, user)
        : initAnalysis().then(() => new Map(listScenarios(doc.analysis, all).map((l) => [l.scenario.id, l.applies])));
      const made = { key, applies };
      this.listings.set(uri, made);
      // A listing that could not be made is asked for again next time.
      void applies.then((m) => { if (!m && this.listings.get(uri) === made) this.listings.delete(uri); }, () => this.listings.delete(uri));
      entry = made;
    }
    const applies = (await entry.applies) ?? new Map<string, boolean>();
    return all.map((s) => ({ id: s.id, title: s.title, applies: applies.get(s.id) ?? false, ...(userIds.has(s.id) ? { user: true } : {}) }));
  }

  /**
   * A cancelled run is answered at once: the caller stops waiting when the client cancels, while
   * the pool stops the search (at its next check of the flag, or by terminating the worker).
   */
  async run(uri: string, scenarioId: string, token: CancellationToken, doc: RunDocument): Promise<ScenarioRun> {
    const params: ScenarioRunParams = { ...this.params(doc), scenario: scenarioId };
    const handle = this.submit<ScenarioRun>(SCENARIO_RUN_TASK, params, `run of ${scenarioId} on ${uri} v${doc.version}`, { task: `run of ${scenarioId}`, uri, version: doc.version });
    let sub: { dispose(): void } | undefined;
    const cancelled = new Promise<never>((_, reject) => {
      const stop = () => { handle.cancel('cancelled by the client'); reject(new Error(`run of ${scenarioId} cancelled`)); };
      if (token.isCancellationRequested) stop();
      else sub = token.onCancellationRequested(stop);
    });
    try {
      const run = await Promise.race([handle.result, cancelled]);
      // A search that saw the flag returns what it covered: that is still a cancelled run.
      if (!run || token.isCancellationRequested) throw new Error(`run of ${scenarioId} cancelled`);
      return run;
    } finally {
      sub?.dispose();
    }
  }

  /** Whether this version's model findings are in ('done'), or still to come ('analysing'). */
  modelState(uri: string, version: number): 'analysing' | 'done' {
    return this.results.get(uri)?.version === version ? 'done' : 'analysing';
  }

  findings(uri: string, doc: RunDocument): Finding[] {
    const done = this.results.get(uri);
    if (done?.key === runKey(doc)) return done.findings;
    this.schedule(uri, doc);
    return done ? staleFindings(done.findings, done.text, doc.text) : [];
  }

  /** Starts this version's model tier once it has stayed current for IDLE_MS, unless it already did. */
  private schedule(uri: string, doc: RunDocument): void {
    const key = runKey(doc);
    if (this.running.get(uri)?.key !== key && this.waiting.get(uri)?.key !== key) {
      // A newer version (or new settings): the older search is of no use any more, its wait neither.
      this.running.get(uri)?.cancel(`superseded by v${doc.version}`);
      this.running.delete(uri);
      this.stopWaiting(uri);
      const timer = setTimeout(() => {
        this.waiting.delete(uri);
        this.start(uri, doc);
      }, IDLE_MS);
      timer.unref();
      this.waiting.set(uri, { key, timer });
    }
  }

  private stopWaiting(uri: string): void {
    const w = this.waiting.get(uri);
    if (w) clearTimeout(w.timer);
    this.waiting.delete(uri);
  }

  /** Forget a closed document: cancel its search and drop its results. */
  forget(uri: string): void {
    this.stopWaiting(uri);
    this.running.get(uri)?.cancel('closed');
    this.running.delete(uri);
    this.results.delete(uri);
    this.listings.delete(uri);
  }

  dispose(): Promise<void> {
    for (const uri of [...this.waiting.keys()]) this.stopWaiting(uri);
    return this.pool.close();
  }

  private start(uri: string, doc: RunDocument): void {
    const current = this.running.get(uri);
    const key = runKey(doc);
    if (current?.key === key) return;
    current?.cancel(`superseded by v${doc.version}`);
    const version = doc.version;
    const handle = this.submit<ModelTierResult>(MODEL_TIER_TASK, this.params(doc), `model tier for ${uri} v${version}`, { task: 'model tier', uri, version });
    this.running.set(uri, { key, cancel: handle.cancel });
    const end = this.hooks.progress?.(`kpr: running the model on ${doc.path.split('/').pop() ?? uri}`);
    handle.result.then(
      (r) => {
        if (!r || this.running.get(uri)?.key !== key) return;
        this.running.delete(uri);
        this.results.set(uri, { version, key, text: doc.text, findings: r.findings });
        this.hooks.log(`kpr: model tier for ${uri} v${version}: ${r.findings.length} findings, ${r.scenarios} scenarios, ${r.states} states, ${r.ms} ms${r.complete ? '' : ' (incomplete)'}`);
        this.hooks.republish(uri);
      },
      (err: unknown) => {
        if (this.running.get(uri)?.key === key) this.running.delete(uri);
        this.hooks.log(`kpr: model tier for ${uri} failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    ).finally(() => end?.());
  }

  /**
   * Queues a model-tier task. A cancelled job resolves to undefined: at once when it was still
   * queued, else when the search saw the flag or its worker was terminated after the grace.
   * WorkerPool calls `onCancel` inside `cancel()` for a queued job and from its grace timer for a
   * terminated one, which is how a termination is told apart (and followed by a warm-up).
   */
  private submit<R>(kind: string, params: TierParams, label: string, traced: { task: string; uri: string; version: number }): Submitted<R> {
    let cancelling = false;
    let terminated = false;
    const handle = this.pool.run<Counted<R> | undefined>({ kind, params, strategy: 'bounded' }, undefined, () => {
      if (!cancelling) terminated = true;
      return undefined;
    });
    let settled = false;
    void handle.result.then(() => { settled = true; }, () => { settled = true; });
    let asked = false;
    const result = handle.result.then((r) => {
      if (!r) return undefined;
      traceAnalyses(this.hooks.log, traced.task, traced.uri, traced.version, r.analyses);
      return r.value;
    });
    return {
      result,
      cancel: (why) => {
        if (settled || asked) return;
        asked = true;
        const at = performance.now();
        cancelling = true;
        handle.cancel();
        cancelling = false;
        void handle.result.then(() => {
          const how = terminated ? 'its worker was terminated' : 'it stopped';
          this.hooks.log(`kpr: ${label} dropped (${why}) after ${(performance.now() - at).toFixed(1)} ms: ${how}`);
          if (terminated) this.warm();
        }, () => undefined);
      },
    };
  }

  /** Starts a worker in place of a terminated one, which loads its C parser as it starts (the task: an empty document's model tier). */
  private warm(): void {
    const params: TierParams = { analysis: tierInput(emptyAnalysis('warm-up.patch')) };
    this.pool.run({ kind: MODEL_TIER_TASK, params, strategy: 'bounded' }, undefined, () => undefined).result.catch(() => undefined);
  }

  private params(doc: RunDocument): TierParams {
    return {
      analysis: tierInput(doc.analysis),
      extraScenarios: this.userScenarios(doc),
      bounds: { preemptions: doc.settings.bounds.preemptions, states: doc.settings.bounds.states },
      budgetMs: doc.settings.bounds.ms,
      memoryModel: doc.settings.memoryModel,
    };
  }

  /** Users' scenarios, only where the workspace is trusted (the folder is undefined otherwise). */
  private userScenarios(doc: RunDocument): ScenarioSpec[] {
    if (!doc.userScenarioFolder) return [];
    const { scenarios, problems } = loadUserScenarios(doc.userScenarioFolder);
    for (const p of problems) this.hooks.log(`kpr: ${p.file}${p.pointer ? ` ${p.pointer}` : ''}: ${p.message}`);
    return scenarios;
  }
}
