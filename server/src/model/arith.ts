/**
 * C integer arithmetic for the interpreter: one adapter over the front end's evaluator
 * (lower/evaluate.ts, gcc x86-64 LP64 semantics), so the interpreter never does its own.
 */
import type { BinaryOp, CType, UnaryOp } from '../ir/step-program';
import { convert as cConvert, evalBinary, evalUnary } from '../lower/evaluate';

/** Converts `v` (of type `from`) to type `to`, as assignment or a cast does. */
export function convert(v: bigint, to: CType, from: CType = to): bigint {
  if (to.t === 'unknown' || to.t === 'void') return v;
  return cConvert(v, from, to);
}

/** A binary operator on integers; undefined where x86 traps (division by zero). */
export function binary(op: BinaryOp, a: bigint, b: bigint, t: CType, lt: CType, rt: CType): bigint | undefined {
  return evalBinary(op, a, b, t, lt, rt);
}

export function unary(op: UnaryOp, a: bigint, t: CType, operandType: CType): bigint | undefined {
  return evalUnary(op, a, t, operandType);
}
