/**
 * Running one scenario on one side (DESIGN sections 7 and 8): the complete search (exhaustive,
 * with bounded search as the fallback; explore/complete.ts) finds, per violated rule, a schedule
 * with the fewest preemptions; each schedule is then replayed step by step on the same system to build the
 * trace the surfaces show: per step the thread, its code and where it lies (document range for
 * patch code, library file and line for model code), what it changed, and every page after it.
 * A schedule that ends in a final state also shows the epilogue (sync, drop) that judged it.
 *
 * Also given schedules (`kpr run --schedule`) and seeded random ones (`--random N --seed S`):
 * the named steps run first, then every thread runs to its end, the first enabled one first.
 */
import { complete, type CompleteResult } from '../explore/complete';
import { optionsFromBounds, type CancelToken, type Progress, type SearchResult } from '../explore/search';
import type { ScheduleStep } from '../explore/system';
import { isFailureReason, type FailureReason, type RuleId } from '../findings';
import { isRuleId } from '../findings';
import type { Loc } from '../ir/step-program';
import type { Range } from '../intake/document';
import type { StepResult } from '../model/step-result';
import { finalViolations } from '../model/invariants';
import { xorshift } from '../model/schedule';
import type { Program } from '../model/program';
import type { State } from '../model/state';
import type { ScenarioSystem, ModelState } from './scenario-system';
import { iocbSnapshot, localChanges, localsSnapshot } from './trace-state';
import type { PageSnapshot, RunStep, RunViolation } from './scenario-run';

export interface SearchOutcome {
  result: CompleteResult;
  /** The system overflowed its thread list or a thread ran out of steps: not a complete search. */
  complete: boolean;
}

export interface SearchRunOptions {
  signal?: CancelToken;
  onProgress?: (p: Progress) => void;
  /** Wall-time budget of this search (ms). */
  maxMs?: number;
}

/** The search of a scenario on a system (explore/complete.ts): exhaustive, else bounded. */
export function searchScenario(sys: ScenarioSystem, o: SearchRunOptions = {}): SearchOutcome {
  const sc = sys.scenario;
  const result = complete(sys, optionsFromBounds(sc.bounds, {
    livelock: sc.invariants.includes('livelock'), signal: o.signal, onProgress: o.onProgress, maxMs: o.maxMs,
  }));
  return { result, complete: result.complete && !sys.overflowed };
}

/** The state of every page of interest after a step. */
export function snapshot(s: State): PageSnapshot[] {
  const dirtyPte = new Set<number>();
  for (const mm of Object.values(s.mms)) for (const pte of Object.values(mm.ptes)) if (pte.dirty) dirtyPte.add(pte.page);
  return Object.values(s.pages)
    .filter((p) => p.mapping !== null || p.ptes.length > 0 || p.count > 0)
    .sort((a, b) => a.index - b.index || a.id - b.id)
    .map((p) => {
      const snap: PageSnapshot = {
        index: p.index, cached: p.mapping !== null, uptodate: p.uptodate, dirty: p.dirty, writeback: p.writeback,
        mapped: p.ptes.length, pteDirty: dirtyPte.has(p.id), refcount: p.count, buffers: p.buffers, data: p.data, disk: s.disk[p.index] ?? 0,
      };
      if (p.locked !== null) snap.lockedBy = p.locked;
      return snap;
    });
}

function locRange(loc: Loc): Range {
  return { start: { line: loc.line, character: loc.col }, end: { line: loc.endLine, character: loc.endCol } };
}

/**
 * A model step as a trace row: what it changed (the model's words, then the locals and results
 * that decide the verdict, trace-state.ts) and the state after it (pages, iocbs, locals).
 */
export function runStep(r: StepResult, before: State, program: Program): RunStep {
  const rec = r.record;
  const effect = [...r.effects, ...localChanges(before, r, program)].join('; ');
  const step: RunStep = { thread: rec.thread, function: rec.fn, source: rec.source, code: rec.code, effect, pages: snapshot(r.state) };
  const iocbs = iocbSnapshot(r.state);
  if (iocbs.length > 0) step.iocbs = iocbs;
  const locals = localsSnapshot(r.state, program);
  if (locals.length > 0) step.locals = locals;
  if (rec.source === 'patch' && rec.loc && rec.loc.line >= 0) step.range = locRange(rec.loc);
  if (rec.source === 'model' && rec.file !== undefined) { step.modelFile = rec.file; step.modelLine = rec.modelLine; }
  return step;
}

export interface Replayed {
  steps: RunStep[];
  violations: RunViolation[];
  /** Violations with the thread whose step raised them (undefined: judged on the final state). */
  raisedBy: (string | undefined)[];
  final: State;
  /** Every thread finished (the run reached the final judgement). */
  finished: boolean;
  problems: string[];
}

export interface ReplayOptions {
  /** After the schedule, run the remaining threads to their end (default false). */
  finish?: boolean;
  /** Pick random threads and choices after the schedule (with `finish`). */
  random?: () => number;
}

/**
 * Replays a schedule on a system and judges what it broke: the steps' own violations, then (when
 * every thread is done) the final invariants and the epilogue's, as the search did.
 */
export function replaySchedule(sys: ScenarioSystem, schedule: readonly ScheduleStep[], o: ReplayOptions = {}): Replayed {
  const wanted = new Set<string>([...sys.scenario.invariants, 'livelock']);
  let m: ModelState = sys.initial();
  const steps: RunStep[] = [];
  const violations: RunViolation[] = [];
  const raisedBy: (string | undefined)[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const raise = (rule: string, message: string, step: number, thread?: string, reason?: FailureReason) => {
    if (!wanted.has(rule) || !isRuleId(rule) || seen.has(`${rule}|${message}`)) return;
    seen.add(`${rule}|${message}`);
    const v: RunViolation = { rule: rule as RuleId, message, step };
    if (reason) v.reason = reason;
    violations.push(v);
    raisedBy.push(thread);
  };
  const apply = (t: string, choice: number) => {
    const r = sys.modelStep(m, t, choice);
    steps.push(runStep(r, m.s, sys.program));
    for (const v of r.violations) raise(v.rule, v.message, steps.length - 1, v.thread, v.reason);
    m = sys.step(m, t, choice).state;
  };
  for (const [i, { thread, choice }] of schedule.entries()) {
    if (!sys.enabled(m, thread)) { problems.push(`step ${i}: ${thread} cannot run`); continue; }
    const n = sys.choices(m, thread);
    apply(thread, Math.min(Math.max(0, choice), n - 1));
  }
  if (o.finish) {
    let last = schedule.at(-1)?.thread;
    const limit = sys.scenario.bounds.depth * 4;
    for (let budget = limit; ; budget--) {
      const en = sys.threads().filter((t) => sys.enabled(m, t));
      if (en.length === 0) break;
      if (budget === 0) { problems.push(`cut: the run stopped after ${limit} steps with ${en.join(', ')} still able to move`); break; }
      const t = o.random ? en[Math.floor(o.random() * en.length)] : last && en.includes(last) ? last : en[0];
      const c = o.random ? Math.floor(o.random() * sys.choices(m, t)) : 0;
      apply(t, c);
      last = t;
    }
  }
  const names = sys.threads();
  const enabled = names.some((t) => sys.enabled(m, t));
  const finished = !enabled && names.every((t) => sys.done(m, t));
  const cut = m.s.threads.filter((t) => t.exhausted).map((t) => t.name);
  if (!enabled && !finished) {
    const stuck = m.s.threads.filter((t) => t.status !== 'done' && !t.exhausted).map((t) => t.name);
    // A thread its step budget cut may still hold a lock the others wait for: that is where the
    // run was cut, not a deadlock of the code (the search treats a cut thread as done too).
    if (cut.length) problems.push(`cut: the step budget stopped ${cut.join(', ')}; ${stuck.join(', ')} could not move after it`);
    else raise('deadlock', `no thread can move; waiting: ${stuck.join(', ')}`, steps.length - 1);
  } else if (cut.length) problems.push(`cut: the step budget stopped ${cut.join(', ')}`);
  let final = m.s;
  if (finished) {
    if (!m.s.threads.some((t) => t.exhausted)) for (const f of finalViolations(m.s)) raise(f.rule, f.message, steps.length - 1);
    if (sys.scenario.epilogue) {
      const e = sys.epilogue(m.s);
      let before = m.s;
      for (const r of e.steps) {
        steps.push(runStep(r, before, sys.program));
        before = r.state;
        for (const v of r.violations) raise(v.rule, v.message, steps.length - 1, v.thread, v.reason);
      }
      for (const v of e.violations) raise(v.rule, v.message, steps.length - 1);
      final = e.state;
    }
  }
  return { steps, violations, raisedBy, final, finished, problems };
}

/** Why the run's invalidations failed (seed 004's cases), the first failure that is one of them. */
export function failureReason(s: State): FailureReason | undefined {
  return s.ghost.failures.map((x) => x.reason).find(isFailureReason);
}

/** `n` random schedules from `seed`: each a replay with random threads and choices from the start. */
export function randomRuns(sys: ScenarioSystem, n: number, seed: number): Replayed[] {
  const rnd = xorshift(seed);
  return Array.from({ length: n }, () => replaySchedule(sys, [], { finish: true, random: rnd }));
}
