/**
 * The real RunProvider: the model tier run on worker threads (server/dist/worker.js), so the
 * server's own thread only parses and answers. Model findings are computed once per document
 * version, after the static tier has published (that is, when the document has been idle for the
 * debounce); a newer version cancels the older one's search. Until fresh results arrive a
 * document shows its static findings only: model findings of an older text would sit on the
 * wrong lines.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import { listScenarios } from '../analysis';
import { SearchPool } from '../explore/pool';
import type { Finding } from '../findings';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import { loadUserScenarios } from '../scenarios/load';
import type { ScenarioSpec } from '../scenarios/types';
import type { ModelTierResult } from '../verdict/tier';
import { MODEL_TIER_TASK, SCENARIO_RUN_TASK, type ScenarioRunParams, type TierParams } from '../verdict/tasks';
import type { ScenarioRun } from '../verdict/types';
import type { RunDocument, RunProvider, ScenarioInfo } from './runs';

export interface ProviderHooks {
  /** New model findings for this document's current version: publish diagnostics again. */
  republish(uri: string): void;
  log(message: string): void;
  /** Shows progress in the client while the model tier runs; returns the function that ends it. */
  progress?(title: string): () => void;
}

interface Result {
  version: number;
  findings: Finding[];
}

interface Running {
  version: number;
  cancel(): void;
}

/** Wall time one document's model tier may take before it reports an incomplete search. */
const DOCUMENT_BUDGET_MS = 20_000;

export class ModelProvider implements RunProvider {
  /** Two workers: one slow document never holds back another's model tier. */
  private readonly pool: SearchPool;
  private readonly results = new Map<string, Result>();
  private readonly running = new Map<string, Running>();
  private hooks: ProviderHooks = { republish: () => undefined, log: () => undefined };

  constructor(workerFile?: string) {
    this.pool = new SearchPool({ size: 2, graceMs: 500, workerFile });
  }

  attach(hooks: ProviderHooks): void {
    this.hooks = hooks;
  }

  scenariosFor(_uri: string, doc: RunDocument): ScenarioInfo[] {
    const user = this.userScenarios(doc);
    const userIds = new Set(user.map((s) => s.id));
    return listScenarios(doc.analysis, [...BUILTIN_SCENARIOS, ...user]).map((l) => ({
      id: l.scenario.id,
      title: l.scenario.title,
      applies: l.applies,
      ...(userIds.has(l.scenario.id) ? { user: true } : {}),
    }));
  }

  async run(_uri: string, scenarioId: string, token: CancellationToken, doc: RunDocument): Promise<ScenarioRun> {
    const params: ScenarioRunParams = { ...this.params(doc), scenario: scenarioId };
    const handle = this.pool.run<ScenarioRun | undefined>({ kind: SCENARIO_RUN_TASK, params, strategy: 'bounded' }, undefined, () => undefined);
    const sub = token.onCancellationRequested(() => handle.cancel());
    try {
      const run = await handle.result;
      if (!run) throw new Error(`run of ${scenarioId} cancelled`);
      return run;
    } finally {
      sub.dispose();
    }
  }

  findings(uri: string, doc: RunDocument): Finding[] {
    const done = this.results.get(uri);
    if (done?.version === doc.version) return done.findings;
    this.start(uri, doc);
    return [];
  }

  /** Forget a closed document: cancel its search and drop its results. */
  forget(uri: string): void {
    this.running.get(uri)?.cancel();
    this.running.delete(uri);
    this.results.delete(uri);
  }

  dispose(): Promise<void> {
    return this.pool.close();
  }

  private start(uri: string, doc: RunDocument): void {
    const current = this.running.get(uri);
    if (current?.version === doc.version) return;
    current?.cancel();
    const handle = this.pool.run<ModelTierResult | undefined>({ kind: MODEL_TIER_TASK, params: this.params(doc), strategy: 'bounded' }, undefined, () => undefined);
    const version = doc.version;
    this.running.set(uri, { version, cancel: handle.cancel });
    const end = this.hooks.progress?.(`kpr: running the model on ${doc.path.split('/').pop() ?? uri}`);
    handle.result.then(
      (r) => {
        if (!r || this.running.get(uri)?.version !== version) return;
        this.running.delete(uri);
        this.results.set(uri, { version, findings: r.findings });
        this.hooks.log(`kpr: model tier for ${uri} v${version}: ${r.findings.length} findings, ${r.scenarios} scenarios, ${r.states} states, ${r.ms} ms${r.complete ? '' : ' (incomplete)'}`);
        this.hooks.republish(uri);
      },
      (err: unknown) => {
        if (this.running.get(uri)?.version === version) this.running.delete(uri);
        this.hooks.log(`kpr: model tier for ${uri} failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    ).finally(() => end?.());
  }

  private params(doc: RunDocument): TierParams {
    return {
      text: doc.text,
      path: doc.path,
      extraScenarios: this.userScenarios(doc),
      bounds: { preemptions: doc.settings.bounds.preemptions, states: doc.settings.bounds.states },
      budgetMs: DOCUMENT_BUDGET_MS,
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
