/**
 * What one step of the model did (interpreter.ts): the state after it, the record a trace shows,
 * the rules it broke and the objects it read and wrote. Its own module so the parts of a step
 * (weak-memory steps, the effect words) can name it without importing the interpreter.
 */
import type { FailureReason } from '../findings';
import type { Loc } from '../ir/step-program';
import type { State } from './state';
import type { ModelRule } from './violations';

export interface StepRecord {
  thread: string;
  fn: string;
  loc?: Loc;
  source: 'patch' | 'model';
  file?: string;
  /** For model code: the 0-based line in `file`. */
  modelLine?: number;
  code: string;
}

export interface StepViolation {
  rule: ModelRule;
  message: string;
  thread: string;
  reason?: FailureReason;
}

export interface StepResult {
  state: State;
  record: StepRecord;
  effects: string[];
  /** What the patch's functions returned during the step, in order (a trace shows a result its frame no longer holds). */
  returns: { fn: string; value: bigint }[];
  violations: StepViolation[];
  notes: string[];
  /** Object keys read and written (for independence of steps). */
  reads: string[];
  writes: string[];
  /** Outcomes this step could have had (1 when deterministic). */
  choices: number;
}
