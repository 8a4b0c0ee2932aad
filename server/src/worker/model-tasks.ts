/**
 * The model tier as worker tasks, so the language server never runs a search on its own thread:
 * `model-tier` (every applicable scenario of a document, both sides → findings) and
 * `scenario-run` (one scenario with its traces → ScenarioRun). Parameters are plain data: the
 * document's one analysis, made by the static tier's worker (what the model tier reads of it,
 * `tierInput`), never its text to analyse again and never code. Planning (the era library's
 * programs with the patch's bodies in them) happens here, per task: its programs hold the era
 * library lowered once per worker and are not worth copying between threads.
 *
 * Each task returns its value with the number of analyses it made (`analyze` calls, analysis.ts
 * `counted`): none, by design; the language server traces the count (lsp/analysis-trace.ts)
 * so that a test sees it stay so.
 */
import { counted, initAnalysis, type Counted } from '../analysis';
import { registerTask } from '../explore/registry';
import type { CancelToken } from '../explore/search';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import type { Bounds, ScenarioSpec } from '../scenarios/spec';
import { runModelTier, runScenario, type ModelTierInput, type ModelTierResult } from '../verdict/tier';
import type { ScenarioRun } from '../verdict/scenario-run';
import type { MemoryModel } from '../model/weak';

export interface TierParams {
  /** What the model tier reads of the document's analysis (`tierInput`); its `abi` is the data model. */
  analysis: ModelTierInput;
  /** Scenarios besides the built-in ones (users' `.kpr/scenarios`, already validated). */
  extraScenarios?: ScenarioSpec[];
  /** Overrides of every scenario's bounds (the editor's `kpr.bounds.*`). */
  bounds?: Partial<Bounds>;
  /** Wall time for the whole document (ms). */
  budgetMs?: number;
  /** The memory model (default `sc`; the editor's `kpr.memoryModel`). */
  memoryModel?: MemoryModel;
  /** Only these scenarios (ids) of the set: one job per scenario spreads a document over workers. */
  scenarioIds?: string[];
}

export interface ScenarioRunParams extends TierParams {
  scenario: string;
}

export const MODEL_TIER_TASK = 'model-tier';
export const SCENARIO_RUN_TASK = 'scenario-run';

/**
 * What the model tier reads of an analysis, and nothing else (not its findings, nor the surface's
 * view of decoded mail parts): the part sent to a model worker. With decoded parts it is the
 * engine's view (`Analysis.engine`), whose positions the tier maps back itself.
 */
export function tierInput(a: ModelTierInput): ModelTierInput {
  const { document, functions } = a.engine ?? a;
  return a.abi ? { document, functions, abi: a.abi } : { document, functions };
}

/** The scenarios a task chooses from, with the caller's bound overrides applied. */
export function scenarioSet(p: Pick<TierParams, 'extraScenarios' | 'bounds' | 'scenarioIds'>): ScenarioSpec[] {
  const all = [...BUILTIN_SCENARIOS, ...(p.extraScenarios ?? [])].filter((s) => !p.scenarioIds || p.scenarioIds.includes(s.id));
  return p.bounds ? all.map((s) => ({ ...s, bounds: { ...s.bounds, ...p.bounds } })) : all;
}

// Each task awaits the C parser: a worker whose parser failed to load then answers with the
// load's own error (worker.ts starts its loop either way).
export async function modelTierTask(p: TierParams, signal?: CancelToken): Promise<Counted<ModelTierResult>> {
  await initAnalysis();
  return counted(() => runModelTier(p.analysis, { scenarios: scenarioSet(p), signal, budgetMs: p.budgetMs, memoryModel: p.memoryModel }));
}

export async function scenarioRunTask(p: ScenarioRunParams, signal?: CancelToken): Promise<Counted<ScenarioRun>> {
  await initAnalysis();
  return counted(() => runScenario(p.analysis, p.scenario, { scenarios: scenarioSet(p), signal, budgetMs: p.budgetMs, memoryModel: p.memoryModel }));
}

registerTask(MODEL_TIER_TASK, (params, signal) => modelTierTask(params as TierParams, signal));
registerTask(SCENARIO_RUN_TASK, (params, signal) => scenarioRunTask(params as ScenarioRunParams, signal));
