/**
 * The model tier as worker tasks, so the language server never runs a search on its own thread:
 * `model-tier` (every applicable scenario of a document, both sides → findings) and
 * `scenario-run` (one scenario with its traces → ScenarioRun). Parameters are plain data (the
 * document's text, never code); the worker re-analyses the text itself.
 */
import { analyze, initAnalysis } from '../analysis';
import { registerTask } from '../explore/registry';
import type { CancelToken } from '../explore/search';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import type { Bounds, ScenarioSpec } from '../scenarios/spec';
import type { Abi } from '../lower/ctypes';
import { runModelTier, runScenario, type ModelTierResult } from '../verdict/tier';
import type { ScenarioRun } from '../verdict/scenario-run';
import type { MemoryModel } from '../model/weak';

export interface TierParams {
  text: string;
  path: string;
  /** Scenarios besides the built-in ones (users' `.kpr/scenarios`, already validated). */
  extraScenarios?: ScenarioSpec[];
  /** Overrides of every scenario's bounds (the editor's `kpr.bounds.*`). */
  bounds?: Partial<Bounds>;
  /** Wall time for the whole document (ms). */
  budgetMs?: number;
  /** The C data model (default `lp64`). */
  abi?: Abi;
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

/** The scenarios a task chooses from, with the caller's bound overrides applied. */
export function scenarioSet(p: TierParams): ScenarioSpec[] {
  const all = [...BUILTIN_SCENARIOS, ...(p.extraScenarios ?? [])].filter((s) => !p.scenarioIds || p.scenarioIds.includes(s.id));
  return p.bounds ? all.map((s) => ({ ...s, bounds: { ...s.bounds, ...p.bounds } })) : all;
}

export async function modelTierTask(p: TierParams, signal?: CancelToken): Promise<ModelTierResult> {
  await initAnalysis();
  return runModelTier(analyze(p.text, p.path, { abi: p.abi, memoryModel: p.memoryModel }), { scenarios: scenarioSet(p), signal, budgetMs: p.budgetMs });
}

export async function scenarioRunTask(p: ScenarioRunParams, signal?: CancelToken): Promise<ScenarioRun> {
  await initAnalysis();
  return runScenario(analyze(p.text, p.path, { abi: p.abi, memoryModel: p.memoryModel }), p.scenario, { scenarios: scenarioSet(p), signal, budgetMs: p.budgetMs });
}

registerTask(MODEL_TIER_TASK, (params, signal) => modelTierTask(params as TierParams, signal));
registerTask(SCENARIO_RUN_TASK, (params, signal) => scenarioRunTask(params as ScenarioRunParams, signal));
