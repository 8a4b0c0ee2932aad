/**
 * Expressions of the step program on the model: the static question the scheduler asks (can this
 * expression touch shared state?), and an evaluator over the compiled expressions of
 * compile-expr.ts, which say what an expression means.
 */
import type { Expr } from '../ir/step-program';
import { valueCode, type ExprEnv } from './compile-expr';
import type { PrimCtx } from './primitives/primitive';
import type { Frame } from './state';
import type { Value } from './values';

/** Fields that never change once a scenario is set up: reading them is not a scheduling point. */
const IMMUTABLE = new Set([
  'f_mapping', 'f_dentry', 'd_inode', 'i_mapping', 'i_data', 'host', 'a_ops', 'vm_file', 'vm_ops', 'vm_mm',
  'vm_start', 'vm_end', 'vm_pgoff', 'vm_page_prot', 'vm_flags', 'ki_filp', 'nopage', 'readpage', 'writepage', 'direct_IO',
  'i_mode', 'i_blkbits', 'backing_dev_info',
]);

/** True when evaluating `e` may read state other threads can change (a visible step). */
export function touchesShared(e: Expr | undefined): boolean {
  if (!e) return false;
  switch (e.k) {
    case 'const': case 'str': case 'unknown': return false;
    case 'name': return e.scope === 'global';
    case 'member':
      if (IMMUTABLE.has(e.field)) return touchesShared(e.object);
      if (!e.arrow && e.object.k === 'name' && e.object.scope !== 'global') return false;
      return true;
    case 'index': return touchesShared(e.object) || touchesShared(e.index);
    case 'unary': return e.op === '*' || touchesShared(e.operand);
    case 'binary': return touchesShared(e.left) || touchesShared(e.right);
    case 'cond': return touchesShared(e.test) || touchesShared(e.then) || touchesShared(e.else);
    case 'cast': return touchesShared(e.operand);
  }
}

/**
 * Evaluates expressions for one thread's top frame, through their compiled closures
 * (compile-expr.ts): the environment of a step's compiled code, and the value of an expression
 * for callers that hold one (the weak mode's delayed loads).
 */
export class Evaluator implements ExprEnv {
  /**
   * The top frame, while the interpreter knows it stays the draft's own top frame (one statement
   * under `sc`: nothing but a call, a return or a weak load replaces it); else asked each time.
   */
  top: Frame | undefined = undefined;

  constructor(readonly ctx: PrimCtx) {}

  frame(): Frame {
    if (this.top !== undefined) return this.top;
    const fr = this.ctx.d.thread(this.ctx.tid).frames;
    return fr[fr.length - 1];
  }

  value(e: Expr): Value {
    return valueCode(e)(this);
  }
}
