/**
 * What a static rule sees and what it reports, before the pre/post comparison turns its hits into
 * findings with a status (static.ts).
 */
import type { FunctionIR, Loc } from '../ir/step-program';
import type { RuleId, RuleInfo } from '../findings';

export interface RuleContext {
  ir: FunctionIR;
  /**
   * The body is a fragment (not the whole definition): state at entry is unknown, so rules that
   * would need it (is the page locked? is a spinlock held?) assume nothing and stay quiet.
   */
  fragment: boolean;
}

/** One thing a rule found on one side of a function. */
export interface RuleHit {
  rule: RuleId;
  /** Exact tokens, in document coordinates (or library coordinates for library lines). */
  loc: Loc;
  /** One sentence saying what breaks and why. */
  message: string;
  /**
   * Matches the same problem on the pre and post side: built from callee names and normalised
   * expression text, never from line numbers.
   */
  key: string;
  related?: { message: string; loc: Loc }[];
}

export interface StaticRule {
  id: RuleId;
  /** Human name of the rule. */
  name: string;
  info: RuleInfo;
  run(ctx: RuleContext): RuleHit[];
}
