/**
 * The model tier of an analysis (DESIGN section 8): plan the messages, run every applicable
 * scenario on both sides, compare. Synchronous (the CLI runs it in its own process; the language
 * server runs it off its thread); `analyzeModel` in analysis.ts wraps it in a promise.
 * Also what the surfaces need to offer runs: the scenarios of a document and one scenario's run.
 */
import { toDocument } from '../intake/decoded-map';
import type { Finding } from '../findings';
import type { PatchFunction } from '../functions/patch-function';
import type { PatchDocument } from '../intake/document';
import type { Abi } from '../lower/ctypes';
import type { MemoryModel } from '../model/weak';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import type { ScenarioSpec } from '../scenarios/spec';
import { assumptionFindings } from './assumptions';
import { compareSides } from './compare';
import { mergeFindings } from './merge';
import { planMessages, type MessagePlan } from './plan';
import type { ScenarioReport, ScenarioRun, SideStats } from './scenario-run';
import { unjudgedFinding, unjudgedWhy } from './unjudged';
import { runSide, sideRun, unsearchedFinding, type SideResult, type VerdictOptions } from './verdict';
import { appendAll } from '../arrays';

/**
 * What the model tier reads of an analysis (analysis.ts `Analysis` has this shape): named here so
 * that the tier does not import the facade that calls it.
 */
export interface ModelTierInput {
  document: PatchDocument;
  functions: readonly PatchFunction[];
  /** The C data model (absent: `lp64`). */
  abi?: Abi;
  /** The memory model (absent: `sc`). */
  memoryModel?: MemoryModel;
  /** With decoded mail parts, what the engine reads (analysis.ts `Analysis.engine`). */
  engine?: { document: PatchDocument; functions: readonly PatchFunction[] };
}

export interface ModelTierOptions extends VerdictOptions {
  /** Scenarios to choose from (default: the built-in catalog; users' scenarios are added by the caller). */
  scenarios?: readonly ScenarioSpec[];
}

export interface ModelTierResult {
  /** One per rule, status and place, with the scenarios that show it. */
  findings: Finding[];
  /** Every applicable scenario: what its searches covered, or why it was not judged. */
  runs: ScenarioReport[];
  scenarios: number;
  states: number;
  ms: number;
  /** Every applicable scenario was judged and every search ran to the end of its bounded space. */
  complete: boolean;
}

/** Runs the model tier on an analysis. Cancelling (signal) stops the current search; what ran is reported. */
export function runModelTier(analysis: ModelTierInput, o: ModelTierOptions = {}): ModelTierResult {
  const { document: doc, functions: fns } = analysis.engine ?? analysis;
  const started = Date.now();
  const out: ModelTierResult = { findings: [], runs: [], scenarios: 0, states: 0, ms: 0, complete: true };
  const memoryModel = o.memoryModel ?? analysis.memoryModel;
  const plans = planMessages(doc, fns, o.scenarios ?? BUILTIN_SCENARIOS, analysis.abi);
  // What is left of the time budget; a spent budget starts no further search.
  const left = (): number | undefined => (o.budgetMs === undefined ? undefined : o.budgetMs - (Date.now() - started));
  const spent = () => o.signal?.aborted === true || (left() ?? 1) <= 0;
  const why = () => (o.signal?.aborted ? 'the model tier was cancelled' : `the model tier's time budget (${o.budgetMs} ms) ran out first`);
  for (const plan of plans) {
    for (const u of plan.unjudged) {
      out.complete = false;
      out.findings.push(unjudgedFinding(doc, plan, u));
      out.runs.push({ id: u.scenario.id, era: plan.era, message: plan.message, judged: false, why: unjudgedWhy(doc, plan, u) });
    }
    for (const [i, sc] of plan.scenarios.entries()) {
      if (spent()) {
        out.complete = false;
        for (const skipped of plan.scenarios.slice(i)) {
          out.findings.push(unsearchedFinding(doc, plan, skipped, why()));
          out.runs.push({ id: skipped.id, era: plan.era, message: plan.message, judged: false, why: why() });
        }
        break;
      }
      // Each scenario stands alone: one that fails (a bug, or a user scenario the schema let
      // through that the model cannot build) is named with its error, and the others still run.
      let pre: ReturnType<typeof runSide> | undefined;
      let post: ReturnType<typeof runSide>;
      try {
        pre = plan.pre ? runSide(plan.pre, plan.era, sc, 'pre', { ...o, memoryModel, maxMs: left() }) : undefined;
        post = runSide(plan.post, plan.era, sc, 'post', { ...o, memoryModel, maxMs: left() });
      } catch (err) {
        out.complete = false;
        out.findings.push(unsearchedFinding(doc, plan, sc, `internal error in this scenario: ${err instanceof Error ? err.message : String(err)}`));
        continue;
      }
      out.scenarios++;
      out.states += (pre?.states ?? 0) + post.states;
      if (!post.complete || (pre && !pre.complete)) out.complete = false;
      appendAll(out.findings, compareSides(doc, plan, sc, pre, post));
      const run: ScenarioReport = { id: sc.id, era: plan.era, message: plan.message, judged: true };
      if (pre) run.pre = sideStats(pre);
      run.post = sideStats(post);
      out.runs.push(run);
    }
  }
  // What the verdicts assume, said where the patch's code leans on it (once per function; not
  // merged: each note already lists every scenario that leans on it).
  const notes = plans.filter((p) => p.scenarios.length > 0).flatMap((p) => assumptionFindings(doc, p, memoryModel, analysis.abi));
  // Positions in decoded mail parts go back to the document before anyone sees them.
  out.findings = toDocument(doc, [...mergeFindings(out.findings), ...notes]);
  out.runs = toDocument(doc, out.runs);
  out.ms = Date.now() - started;
  return out;
}

function sideStats(s: SideResult): SideStats {
  const out: SideStats = { states: s.states, ms: s.ms, exhaustive: s.exhaustive, bound: s.bound };
  if (!s.complete) out.stopped = s.stopped ?? 'a thread was cut';
  return out;
}

export interface ScenarioListing {
  scenario: ScenarioSpec;
  /** The scenario's threads reach a function the document changes. */
  applies: boolean;
  era?: string;
}

/** Every scenario, with whether it applies to the analysed document (and on which era). */
export function listScenarios(analysis: ModelTierInput, scenarios: readonly ScenarioSpec[] = BUILTIN_SCENARIOS): ScenarioListing[] {
  const { document: doc, functions: fns } = analysis.engine ?? analysis;
  const plans = planMessages(doc, fns, scenarios, analysis.abi);
  return scenarios.map((scenario) => {
    const plan = plans.find((p) => p.scenarios.includes(scenario));
    return plan ? { scenario, applies: true, era: plan.era } : { scenario, applies: false };
  });
}

/** The plan a scenario runs under: the first message it applies to, else the first message. */
function planFor(plans: MessagePlan[], scenario: ScenarioSpec): MessagePlan | undefined {
  return plans.find((p) => p.scenarios.includes(scenario)) ?? plans[0];
}

/**
 * Runs one scenario on both sides of the analysed document and returns the traces to show.
 * A document with nothing to run still runs the scenario on the newest library that has it
 * (the library alone, as post).
 */
export function runScenario(analysis: ModelTierInput, scenarioId: string | ScenarioSpec, o: ModelTierOptions = {}): ScenarioRun {
  const all = o.scenarios ?? BUILTIN_SCENARIOS;
  const scenario = typeof scenarioId === 'string' ? all.find((s) => s.id === scenarioId) : scenarioId;
  const { document: doc, functions: fns } = analysis.engine ?? analysis;
  if (!scenario) throw new Error(`unknown scenario ${JSON.stringify(scenarioId)}; known: ${all.map((s) => s.id).join(', ')}`);
  const plans = planMessages(doc, fns, [scenario], analysis.abi);
  const plan = planFor(plans, scenario);
  const run: ScenarioRun = { scenario: scenario.id, title: scenario.title, threads: scenario.threads.map((t) => t.name) };
  if (!plan) throw new Error(`${scenario.id}: the document changes no function the model can run`);
  // Running the library in place of an unplaced hunk would show a trace of code the patch did not write.
  const unplaced = plans.find((p) => !p.scenarios.includes(scenario) && p.unjudged.some((u) => u.scenario === scenario));
  if (unplaced && !plans.some((p) => p.scenarios.includes(scenario))) {
    const u = unplaced.unjudged.find((x) => x.scenario === scenario)!;
    throw new Error(`${scenario.id}: the document changes no function the model can run on this scenario's path (${unjudgedWhy(doc, unplaced, u)})`);
  }
  const started = Date.now();
  const left = () => (o.budgetMs === undefined ? undefined : Math.max(1, o.budgetMs - (Date.now() - started)));
  const memoryModel = o.memoryModel ?? analysis.memoryModel;
  if (plan.pre) run.pre = sideRun(runSide(plan.pre, plan.era, scenario, 'pre', { ...o, memoryModel, maxMs: left() }), plan.pre, scenario, memoryModel);
  run.post = sideRun(runSide(plan.post, plan.era, scenario, 'post', { ...o, memoryModel, maxMs: left() }), plan.post, scenario, memoryModel);
  // Threads the model spawned during the runs (I/O completions: io1, wb1, bio1) have steps too.
  for (const side of [run.pre, run.post]) for (const st of side?.steps ?? []) if (!run.threads.includes(st.thread)) run.threads.push(st.thread);
  return run;
}
