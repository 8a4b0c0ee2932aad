// A tiny builder for hand-made step programs, so rule tests can state a control-flow graph as data.
// Every step gets its own line (its index + 100) so findings can be located by line.
import type { CType, Expr, FunctionIR, Loc, Step, Variable } from '../../server/src/ir/step-program';

export const int: CType = { t: 'int', bits: 32, signed: true };
export const uint: CType = { t: 'int', bits: 32, signed: false };
export const ulong: CType = { t: 'int', bits: 64, signed: false };
export const long: CType = { t: 'int', bits: 64, signed: true };
export const pagePtr: CType = { t: 'ptr', to: { t: 'struct', name: 'page' } };
export const unknown: CType = { t: 'unknown' };

const L0: Loc = { line: 0, col: 0, endLine: 0, endCol: 1 };

export const n = (name: string, type: CType = unknown): Expr => ({ k: 'name', name, scope: 'local', type, loc: L0 });
export const c = (value: number, text?: string, type: CType = int): Expr => ({ k: 'const', value: BigInt(value), type, loc: L0, ...(text ? { text } : {}) });
export const not = (e: Expr): Expr => ({ k: 'unary', op: '!', operand: e, type: int, loc: L0 });
export const addr = (e: Expr): Expr => ({ k: 'unary', op: '&', operand: e, type: unknown, loc: L0 });
export const neg = (e: Expr): Expr => ({ k: 'unary', op: '-', operand: e, type: int, loc: L0 });
export const arrow = (obj: Expr, field: string, type: CType = unknown): Expr => ({ k: 'member', object: obj, field, arrow: true, type, loc: L0 });
export const bin = (op: Extract<Expr, { k: 'binary' }>['op'], left: Expr, right: Expr, type: CType = int): Expr => ({ k: 'binary', op, left, right, type, loc: L0 });

type Pending = Step & { _labels?: { next?: string; then?: string; else?: string; to?: string } };

export class IRBuilder {
  private steps: Pending[] = [];
  private labels = new Map<string, number>();
  private params: Variable[] = [];
  private locals: Variable[] = [];
  constructor(private name: string) {}

  private loc(): Loc {
    const line = this.steps.length + 100;
    return { line, col: 1, endLine: line, endCol: 20 };
  }
  /** Line the next step will get. */
  get line(): number {
    return this.steps.length + 100;
  }
  param(name: string, type: CType): this {
    this.params.push({ name, type, loc: L0 });
    return this;
  }
  label(name: string): this {
    this.labels.set(name, this.steps.length);
    return this;
  }
  declare(name: string, type: CType = int): this {
    this.locals.push({ name, type, loc: L0 });
    this.steps.push({ op: 'declare', name, type, next: this.steps.length + 1, loc: this.loc() });
    return this;
  }
  assign(target: Expr, value: Expr): this {
    this.steps.push({ op: 'assign', target, value, next: this.steps.length + 1, loc: this.loc() });
    return this;
  }
  call(callee: string, args: Expr[] = [], result?: string, through?: Expr): this {
    const step: Step = { op: 'call', callee, args, next: this.steps.length + 1, loc: this.loc() };
    if (result) step.result = n(result);
    if (through) step.through = through;
    this.steps.push(step);
    return this;
  }
  /** Branch to `then` label when cond holds, else fall through (or to `otherwise`). */
  branch(cond: Expr, then: string, otherwise?: string): this {
    // A condition built without a place gets the branch's own, so findings on it can be located.
    if (cond.loc === L0) cond = { ...cond, loc: this.loc() };
    const step: Pending = { op: 'branch', cond, then: -1, else: this.steps.length + 1, loc: this.loc(), _labels: { then, ...(otherwise ? { else: otherwise } : {}) } };
    this.steps.push(step);
    return this;
  }
  goto(to: string): this {
    this.steps.push({ op: 'jump', to: -1, loc: this.loc(), kind: 'goto', _labels: { to } } as Pending);
    return this;
  }
  ret(value?: Expr): this {
    if (value && value.loc === L0) value = { ...value, loc: this.loc() };
    this.steps.push(value ? { op: 'return', value, loc: this.loc() } : { op: 'return', loc: this.loc() });
    return this;
  }
  build(): FunctionIR {
    const at = (l: string) => {
      const i = this.labels.get(l);
      if (i === undefined) throw new Error(`no label ${l}`);
      return i;
    };
    const steps: Step[] = this.steps.map((s) => {
      const { _labels, ...rest } = s;
      const out = rest as Step;
      if (_labels?.then && out.op === 'branch') out.then = at(_labels.then);
      if (_labels?.else && out.op === 'branch') out.else = at(_labels.else);
      if (_labels?.to && out.op === 'jump') out.to = at(_labels.to);
      return out;
    });
    return { name: this.name, returnType: int, params: this.params, locals: this.locals, steps, entry: 0, loc: L0, notes: [] };
  }
}
