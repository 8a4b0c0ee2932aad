/**
 * C integer arithmetic as gcc does it on x86-64: values are bigints wrapped to their type's width
 * in two's complement, operands are converted to the operation's type before it is applied, and
 * comparisons compare after the usual arithmetic conversions (so `-1 < 0u` is 0). Used by the
 * interpreter and by constant folding; pure, never throws.
 *
 * Choices where C leaves the behaviour undefined or to the implementation:
 * - shift counts are masked to the width of the promoted left operand (count & 31 or & 63), as
 *   the x86 shift instructions do at run time (gcc's own constant folding may differ, with a
 *   warning); a negative count is masked the same way;
 * - `>>` of a negative signed value is arithmetic (gcc's documented choice);
 * - left shifts and signed overflow wrap (what the generated code does);
 * - division or remainder by zero, and INT_MIN / -1, trap on x86: the result is `undefined`.
 */
import type { BinaryOp, CType, UnaryOp } from '../ir/step-program';
import { commonType, intShape, promote, T } from './ctypes';

/** Wraps a value to an integer type of the given shape. */
export function wrap(value: bigint, bits: number, signed: boolean): bigint {
  if (bits === 1) return value !== 0n ? 1n : 0n;
  const b = BigInt(bits);
  return signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(Number(b), value);
}

/** Converts a value from one type to another (C99 6.3.1): `_Bool` tests against zero, integers wrap. */
export function convert(value: bigint, fromType: CType, toType: CType): bigint {
  void fromType; // the value is already exact; only the target's shape matters
  if (toType.t === 'bool') return value !== 0n ? 1n : 0n;
  const shape = intShape(toType);
  if (!shape) return value;
  return wrap(value, shape.bits, shape.signed);
}

/** Applies a unary operator. `type` is the result type; `*` and `&` are not arithmetic: undefined. */
export function evalUnary(op: UnaryOp, a: bigint, type: CType, operandType: CType = type): bigint | undefined {
  switch (op) {
    case '!': return a === 0n ? 1n : 0n;
    case '+': return convert(convert(a, operandType, type), type, type);
    case '-': return convert(-convert(a, operandType, type), type, type);
    case '~': return convert(~convert(a, operandType, type), type, type);
    default: return undefined;
  }
}

/**
 * Applies a binary operator to two values of types `leftType` and `rightType`; `type` is the
 * result type that lowering computed (int for comparisons and logical operators).
 */
export function evalBinary(op: BinaryOp, a: bigint, b: bigint, type: CType, leftType: CType, rightType: CType): bigint | undefined {
  if (op === '&&') return a !== 0n && b !== 0n ? 1n : 0n;
  if (op === '||') return a !== 0n || b !== 0n ? 1n : 0n;
  if (op === '<<' || op === '>>') {
    const lt = promote(leftType);
    const shape = intShape(lt) ?? { bits: 64, signed: true };
    const x = convert(a, leftType, lt);
    const width = shape.bits <= 32 ? 32 : 64;
    const count = BigInt.asUintN(64, b) & BigInt(width - 1);
    const r = op === '<<' ? x << count : x >> count; // bigint >> is arithmetic on negative values
    return convert(r, lt, type.t === 'unknown' ? lt : type);
  }
  const bothPtr = leftType.t === 'ptr' || rightType.t === 'ptr';
  const common = bothPtr ? T.ulong : commonType(leftType, rightType);
  const ct = common.t === 'unknown' ? T.long : common;
  const x = convert(a, leftType, ct);
  const y = convert(b, rightType, ct);
  const shape = intShape(ct)!;
  switch (op) {
    case '==': return x === y ? 1n : 0n;
    case '!=': return x !== y ? 1n : 0n;
    case '<': return x < y ? 1n : 0n;
    case '<=': return x <= y ? 1n : 0n;
    case '>': return x > y ? 1n : 0n;
    case '>=': return x >= y ? 1n : 0n;
    default: break;
  }
  const out = type.t === 'unknown' ? ct : type;
  switch (op) {
    case '+': return convert(x + y, ct, out);
    case '-': return convert(x - y, ct, out);
    case '*': return convert(x * y, ct, out);
    case '&': return convert(x & y, ct, out);
    case '|': return convert(x | y, ct, out);
    case '^': return convert(x ^ y, ct, out);
    case '/':
    case '%': {
      if (y === 0n) return undefined;
      if (shape.signed && y === -1n && x === -(1n << BigInt(shape.bits - 1))) return undefined;
      // bigint division truncates toward zero, as C99 requires.
      return convert(op === '/' ? x / y : x % y, ct, out);
    }
  }
  return undefined;
}
