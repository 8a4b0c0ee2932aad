/**
 * Constant folding of lowered expressions, and a helper that lowers one C expression written as
 * text (with optional declarations for its variables): used by tests that check C arithmetic as
 * data, and by anything that wants the value of a constant expression.
 */
import type { CType, Expr } from '../ir/step-program';
import { ctextFromLines } from '../functions/extract';
import { evalBinary, evalUnary, convert } from './evaluate';
import { lowerFunction } from './lower';
import type { Abi } from './ctypes';

/** The value of an expression made of constants only, or undefined. */
export function foldExpr(e: Expr): bigint | undefined {
  switch (e.k) {
    case 'const': return e.value;
    case 'unary': {
      const v = foldExpr(e.operand);
      return v === undefined ? undefined : evalUnary(e.op, v, e.type, e.operand.type);
    }
    case 'binary': {
      if (e.op === '&&' || e.op === '||') {
        // Lazy, as C evaluates them: the right side may be undefined (a trap) and unused.
        const l = foldExpr(e.left);
        if (l === undefined) return undefined;
        if ((l !== 0n) === (e.op === '||')) return e.op === '||' ? 1n : 0n;
        const r = foldExpr(e.right);
        return r === undefined ? undefined : r !== 0n ? 1n : 0n;
      }
      const a = foldExpr(e.left);
      const b = foldExpr(e.right);
      return a === undefined || b === undefined ? undefined : evalBinary(e.op, a, b, e.type, e.left.type, e.right.type);
    }
    case 'cast': {
      const v = foldExpr(e.operand);
      return v === undefined ? undefined : convert(v, e.operand.type, e.type);
    }
    case 'cond': {
      const t = foldExpr(e.test);
      return t === undefined ? undefined : foldExpr(t !== 0n ? e.then : e.else);
    }
    default: return undefined;
  }
}

/** Lowers `expr` inside `void f(void) { decls return (expr); }` for `abi` and returns the expression. */
export function lowerExpression(expr: string, decls = '', abi: Abi = 'lp64'): { expr?: Expr; type?: CType; value?: bigint } {
  const lines = ['void __kpr_expr(void)', '{', decls, `return (${expr});`, '}'];
  const side = { c: ctextFromLines(lines.map((text, i) => ({ text, line: i, character: 0 }))), whole: true };
  const { ir } = lowerFunction(side, undefined, abi);
  const ret = ir?.steps.find((s) => s.op === 'return' && s.value);
  if (!ret || ret.op !== 'return' || !ret.value) return {};
  return { expr: ret.value, type: ret.value.type, value: foldExpr(ret.value) };
}
