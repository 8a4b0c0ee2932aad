/**
 * Running one schedule of a scenario: the threads step in the order the schedule names them, then
 * (unless told otherwise) the rest run to the end, each keeping the CPU until it blocks or
 * finishes. After the threads, the final invariants are judged, then the epilogue (the library's
 * `kpr_epilogue`: exit, sync, drop the cache) runs and dirty-data-loss is judged. Also the seeded
 * xorshift generator (never Math.random) that the one random-schedule runner draws from
 * (verdict/side-search.ts `randomRuns`).
 */
import type { Loc } from '../ir/step-program';
import type { ScenarioSpec } from '../scenarios/spec';
import { initialState } from './init';
import { Interpreter } from './interpreter';
import type { StepResult } from './step-result';
import { deadlocked, epilogueViolations, finalViolations } from './invariants';
import type { ModelOptions } from './primitives/primitive';
import type { Program } from './program';
import type { State } from './state';
import { mkRef } from './values';
import type { Violation } from './violations';

export interface TraceRecord {
  thread: string;
  function: string;
  loc?: Loc;
  source: 'patch' | 'model';
  file?: string;
  /** For model code: the 0-based line in `file`. */
  modelLine?: number;
  code: string;
  effect: string;
}

export interface RunOptions extends Partial<ModelOptions> {
  /** Choice index per step for nondeterministic steps (default 0). */
  choices?: number[];
  /** Run the remaining threads to the end after the schedule (default true). */
  finish?: boolean;
  /** Most steps in the run (default: the scenario's depth bound). */
  maxSteps?: number;
}

export interface RunResult {
  trace: TraceRecord[];
  violations: Violation[];
  /** False when a thread ran out of steps or the step bound cut the run. */
  complete: boolean;
  /** Schedule entries that could not run (the thread was blocked or done). */
  problems: string[];
  notes: string[];
  state: State;
}

function modelOptions(scenario: ScenarioSpec, o: RunOptions): ModelOptions {
  return { fs: o.fs ?? scenario.fs, era: o.era, readErrors: scenario.readErrors, directIOErrors: o.directIOErrors, ops: o.ops, maxStepsPerThread: o.maxStepsPerThread };
}

class Runner {
  readonly interp: Interpreter;
  state: State;
  trace: TraceRecord[] = [];
  violations: Violation[] = [];
  notes: string[] = [];
  private seen = new Set<string>();

  constructor(program: Program, readonly scenario: ScenarioSpec, options: ModelOptions) {
    this.interp = new Interpreter(program, options);
    this.state = initialState(scenario, this.interp);
  }

  private wanted(rule: string): boolean {
    return rule === 'bug-on' || (this.scenario.invariants as string[]).includes(rule);
  }

  report(v: Violation): void {
    const key = `${v.rule}|${v.message}`;
    if (!this.wanted(v.rule) || this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push(v);
  }

  apply(r: StepResult): void {
    const step = this.trace.length;
    this.trace.push({ thread: r.record.thread, function: r.record.fn, loc: r.record.loc, source: r.record.source, file: r.record.file, modelLine: r.record.modelLine, code: r.record.code, effect: r.effects.join('; ') });
    for (const v of r.violations) this.report({ ...v, step });
    for (const n of r.notes) if (!this.notes.includes(n)) this.notes.push(n);
    this.state = r.state;
  }

  /** Runs the first enabled thread, preferring `prefer`, until nothing can move or `budget` runs out. */
  finish(budget: number, prefer?: string): number {
    let last = prefer;
    while (budget > 0) {
      const en = this.interp.enabled(this.state);
      if (en.length === 0) break;
      const tid = last && en.includes(last) ? last : en[0];
      this.apply(this.interp.step(this.state, tid, 0));
      last = tid;
      budget--;
    }
    return budget;
  }

  /** Final and epilogue judgements, when every thread is done. */
  conclude(): void {
    const en = this.interp.enabled(this.state);
    if (deadlocked(this.state, en)) {
      const stuck = this.state.threads.filter((t) => t.status !== 'done').map((t) => `${t.name} (${t.wait?.on ?? t.status})`);
      this.report({ rule: 'deadlock', message: `no thread can move: ${stuck.join(', ')} wait forever`, step: this.trace.length - 1 });
      return;
    }
    if (!this.interp.isFinal(this.state)) return;
    for (const f of finalViolations(this.state)) this.report({ ...f, step: -1 });
    if (!this.scenario.epilogue) return;
    this.runEpilogue();
    for (const f of epilogueViolations(this.state)) this.report({ ...f, step: -1 });
  }

  private runEpilogue(): void {
    const entry = 'kpr_epilogue';
    if (!this.interp.program.has(entry)) { this.notes.push('no kpr_epilogue in the program: epilogue skipped'); return; }
    const t = this.interp.newThread('epilogue', entry, [mkRef('mapping', 1), mkRef('vma', 1)]);
    this.state = { ...this.state, threads: [...this.state.threads, t] };
    this.finish(10_000, 'epilogue');
  }
}

/** Runs one schedule (thread names in order) of a scenario on a program. */
export function runSchedule(program: Program, scenario: ScenarioSpec, schedule: string[], options: RunOptions = {}): RunResult {
  const r = new Runner(program, scenario, modelOptions(scenario, options));
  const problems: string[] = [];
  let budget = options.maxSteps ?? scenario.bounds.depth;
  schedule.forEach((tid, i) => {
    if (budget <= 0) return;
    const t = r.state.threads.find((x) => x.name === tid);
    if (!t) { problems.push(`step ${i}: no thread ${tid}`); return; }
    if (!r.interp.enabled(r.state).includes(tid)) {
      problems.push(`step ${i}: ${tid} cannot run (${t.status === 'blocked' ? `blocked on ${t.wait?.on}` : t.status})`);
      return;
    }
    r.apply(r.interp.step(r.state, tid, options.choices?.[r.trace.length] ?? 0));
    budget--;
  });
  if (options.finish !== false) budget = r.finish(budget, schedule.at(-1));
  r.conclude();
  const exhausted = r.state.threads.some((t) => t.exhausted);
  const complete = !exhausted && (r.interp.isFinal(r.state) || r.interp.enabled(r.state).length === 0);
  return { trace: r.trace, violations: r.violations, complete, problems, notes: r.notes, state: r.state };
}

/** A tiny xorshift32 generator: deterministic for a seed. */
export function xorshift(seed: number): () => number {
  let x = (seed | 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

