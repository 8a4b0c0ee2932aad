/**
 * One side of one scenario (DESIGN section 8): the search, the replay of each broken rule's
 * minimal schedule, and the finding a broken rule becomes (race window, trace, scenario, whether
 * the search was complete). How the two sides compare into statuses is compare.ts.
 */
import type { CancelToken } from '../explore/search';
import { FAILURE_REASONS, RULES, type FailureReason, type Finding, type RuleId, type Side, type Status, type TraceStep } from '../findings';
import { functionAt } from '../functions/extract';
import type { PatchFunction } from '../functions/patch-function';
import type { PatchDocument } from '../intake/document';
import type { ScenarioSpec } from '../scenarios/spec';
import { firstChangedLine, witnessAnchor } from './anchor';
import type { MessagePlan } from './plan';
import { failureReason, replaySchedule, searchScenario, type Replayed } from './side-search';
import { counterexampleKey, ScenarioSystem } from './scenario-system';
import type { RunStep, RunViolation, SideRun } from './scenario-run';
import { raceWindow } from './window';
import type { MemoryModel } from '../model/weak';

export interface VerdictProgress {
  scenario: string;
  side: Side;
  states: number;
  ms: number;
}

export interface VerdictOptions {
  signal?: CancelToken;
  onProgress?: (p: VerdictProgress) => void;
  /** Wall time for all searches of the document (ms); each search gets what is left. */
  budgetMs?: number;
  /** The memory model the scenarios run under (DESIGN section 13; default `sc`). */
  memoryModel?: MemoryModel;
}

/** One violated rule on one side, with the replay of its minimal schedule. */
export interface FoundRun {
  rule: RuleId;
  message: string;
  reason?: FailureReason;
  replay: Replayed;
  /** Step after which it was seen, and the thread whose step broke it. */
  at: number;
  raisedBy?: string;
  preemptions: number;
  /** A thread that can never finish (a livelock in every schedule that reaches it). */
  termination?: true;
}

export interface SideResult {
  side: Side;
  era: string;
  /** The search covered its bounded space (no budget cut it, no thread was cut). */
  complete: boolean;
  /** The search covered the whole space, whatever the preemption bound. */
  exhaustive: boolean;
  /** The preemption bound up to which the search is complete (null: exhaustive, or none). */
  bound: number | null;
  stopped?: string;
  states: number;
  ms: number;
  found: FoundRun[];
}

/** Runs one scenario on one side's program: search, then replay of each rule's schedule. */
export function runSide(program: MessagePlan['post'], era: string, scenario: ScenarioSpec, side: Side, o: VerdictOptions & { maxMs?: number } = {}): SideResult {
  const started = Date.now();
  const sys = new ScenarioSystem(program, scenario, era, o.memoryModel);
  const { result, complete } = searchScenario(sys, {
    signal: o.signal, maxMs: o.maxMs,
    onProgress: o.onProgress && ((p) => o.onProgress!({ scenario: scenario.id, side, states: p.states, ms: p.ms })),
  });
  const found: FoundRun[] = [];
  for (const v of result.violations) {
    if (!(v.rule in RULES)) continue;
    const replay = replaySchedule(sys, v.trace);
    const livelocked = sys.scenario.threads.find((t) => v.message.startsWith(`${t.name} `))?.name;
    // A livelock is a property of the state graph, not of one state: the replay of its lasso
    // breaks nothing step by step, so the trace carries the search's verdict at its last step.
    // A livelock raised by a step (not found on the graph) is a thread that can never finish:
    // it spins without a scheduling point or recurses without end (the interpreter cuts it).
    const termination = v.rule === 'livelock' && replay.violations.some((x) => x.rule === v.rule);
    if (v.rule === 'livelock' && !termination) {
      const lv: RunViolation = { rule: 'livelock', message: v.message, step: replay.steps.length - 1 };
      // The lasso: the replay takes one trace step per schedule step, so the cycle's steps are
      // the schedule's (a replay that skipped a step has no reliable loop to mark).
      if (v.cycleStart !== undefined && replay.problems.length === 0 && replay.steps.length === v.trace.length) lv.lasso = { from: v.cycleStart, to: replay.steps.length - 1 };
      replay.violations.push(lv);
      replay.raisedBy.push(livelocked);
    }
    // The replay's violation of the witness's own key: an invalidation's cause is part of it.
    const i = replay.violations.findIndex((x) => x.rule === v.rule && (v.key === undefined || counterexampleKey(x.rule, x.reason) === v.key));
    const f: FoundRun = {
      rule: v.rule as RuleId, message: v.message, replay, preemptions: v.preemptions,
      at: i >= 0 ? replay.violations[i].step : replay.steps.length - 1,
      raisedBy: i >= 0 ? replay.raisedBy[i] : livelocked,
    };
    if (termination) f.termination = true;
    const reason = (i >= 0 ? replay.violations[i].reason : undefined) ?? failureReason(replay.final);
    if (reason) f.reason = reason;
    found.push(f);
  }
  const exhaustive = complete && result.exhaustive;
  const searched = result.bound;
  // A cut search covered the bounds below the one it stopped in.
  const bound = exhaustive || searched === undefined ? null : complete ? searched : searched > 0 ? searched - 1 : null;
  const r: SideResult = { side, era, complete, exhaustive, bound, states: result.states, ms: Date.now() - started, found };
  if (result.reason) r.stopped = result.reason;
  return r;
}

/** The SideRun a surface shows: the trace of the first rule broken (or one clean run). */
export function sideRun(r: SideResult, program: MessagePlan['post'], scenario: ScenarioSpec, memoryModel?: MemoryModel): SideRun {
  const first = r.found[0];
  const replay = first?.replay ?? replaySchedule(new ScenarioSystem(program, scenario, r.era, memoryModel), [], { finish: true });
  return { side: r.side, era: r.era, steps: replay.steps, violations: replay.violations, complete: r.complete, states: r.states, ms: r.ms,
    broken: [...new Set(r.found.map((f) => f.rule))], exhaustive: r.exhaustive, bound: r.bound };
}

export function traceSteps(steps: readonly RunStep[]): TraceStep[] {
  return steps.map((s) => {
    const t: TraceStep = { thread: s.thread, function: s.function, source: s.source, code: s.code, effect: s.effect };
    if (s.range) t.range = s.range;
    if (s.modelFile !== undefined) { t.modelFile = s.modelFile; t.modelLine = s.modelLine; }
    return t;
  });
}

/** A scenario a spent budget or a cancel left unsearched, as a note (never silence). */
export function unsearchedFinding(doc: PatchDocument, plan: MessagePlan, scenario: ScenarioSpec, why: string): Finding {
  return {
    rule: 'unmodeled', severity: 'information', status: 'unjudged', tier: 'model', scenario: scenario.id, scenarios: [scenario.id], complete: false,
    message: `${scenario.id}: not searched, ${why}; nothing is claimed about it.`,
    range: firstChangedLine(doc, plan.functions, plan.post, 'post'),
  };
}

/** One finding for a rule broken on one side. */
export function findingOf(doc: PatchDocument, plan: MessagePlan, scenario: ScenarioSpec, side: SideResult, f: FoundRun, status: Status): Finding {
  const threads = scenario.threads.map((t) => t.name);
  const program = side.side === 'pre' ? plan.pre : plan.post;
  const w = raceWindow(f.replay.steps, f.at, f.raisedBy, threads, witnessAnchor(doc, plan.functions, program, side.side, f.replay.steps, f.at));
  // The window is data (`finding.window`): the surfaces word it with its lines (report/finding-message.ts).
  let message = `${scenario.id} (${side.side}): ${f.message}`;
  if (f.reason) message += `; the invalidation failed because ${FAILURE_REASONS[f.reason]}`;
  const finding: Finding = {
    rule: f.rule, severity: RULES[f.rule].severity, status, tier: 'model', message: `${message}.`, range: w.range,
    scenario: scenario.id, scenarios: [scenario.id], complete: side.complete, trace: traceSteps(f.replay.steps),
  };
  const fn = functionAt(plan.functions, w.range.start.line);
  if (fn) { finding.function = fn.name; if (fn.file) finding.file = fn.file; }
  if (w.window) finding.window = w.window;
  if (f.reason) finding.reason = f.reason;
  return finding;
}

