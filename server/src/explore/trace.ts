/**
 * Traces are schedules; states are rebuilt by replaying them (steps are pure and deterministic),
 * so a counterexample costs a few numbers to keep and is the same every time it is shown.
 */
import type { ScheduleStep, StepResult, System } from './system';

export interface ReplayStep<S> {
  thread: string;
  choice: number;
  result: StepResult<S>;
  /** This step switched away from a thread that could still run. */
  preemption: boolean;
}

/** The states along a schedule, the initial state first. Throws when the schedule is not
 *  executable (a thread not enabled, a choice out of range): a trace that does not replay is a bug. */
export function replay<S>(sys: System<S>, schedule: readonly ScheduleStep[]): S[] {
  return replaySteps(sys, schedule).states;
}

export function replaySteps<S>(sys: System<S>, schedule: readonly ScheduleStep[]): { states: S[]; steps: ReplayStep<S>[] } {
  let s = sys.initial();
  const states = [s];
  const steps: ReplayStep<S>[] = [];
  let last: string | undefined;
  for (const [i, { thread, choice }] of schedule.entries()) {
    if (!sys.enabled(s, thread)) throw new Error(`replay: step ${i}: thread ${thread} is not enabled`);
    const n = sys.choices(s, thread);
    if (choice < 0 || choice >= n) throw new Error(`replay: step ${i}: choice ${choice} of ${n} for ${thread}`);
    const preemption = isPreemption(sys, s, last, thread);
    const result = sys.step(s, thread, choice);
    steps.push({ thread, choice, result, preemption });
    s = result.state;
    states.push(s);
    last = thread;
  }
  return { states, steps };
}

/**
 * Running `next` in state `s` right after `last` ran is a preemption when `last` could still run,
 * unless `last` stands at a voluntary scheduling point.
 */
export function isPreemption<S>(sys: System<S>, s: S, last: string | undefined, next: string): boolean {
  return last !== undefined && last !== next && sys.enabled(s, last) && !(sys.yields?.(s, last) ?? false);
}

export function countPreemptions<S>(sys: System<S>, schedule: readonly ScheduleStep[]): number {
  return replaySteps(sys, schedule).steps.filter((x) => x.preemption).length;
}
