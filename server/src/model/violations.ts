/**
 * What the model reports when an invariant breaks: the rule, a sentence, the step of the schedule
 * it broke at, and for invalidation failures the seed-004 case. `bug-on` is the model's own rule
 * for a BUG_ON() whose condition was true (a violated assertion in the code under test).
 */
import type { FailureReason, RuleId } from '../findings';

export type ModelRule = RuleId | 'bug-on';

export interface Violation {
  rule: ModelRule;
  message: string;
  /** Index of the trace step at which it was seen (-1: in the epilogue / final state). */
  step: number;
  thread?: string;
  reason?: FailureReason;
}
