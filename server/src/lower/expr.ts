/**
 * Expressions: tree-sitter-c nodes to pure `Expr` trees, hoisting every call (and every side
 * effect: assignment, `++`, `--`) into steps emitted before the expression is used. `&&`, `||`
 * and `?:` stay lazy expressions when their operands are pure and become branches otherwise.
 * Each Expr carries its C type, computed with the promotions and conversions of ctypes.ts.
 * Constant sub-expressions are folded (kept with their source text).
 */
import type { SyntaxNode } from '../c/parser';
import type { BinaryOp, CType, Expr, Loc, UnaryOp } from '../ir/step-program';
import type { Builder, Slot } from './builder';
import { commonType, forAbi, intShape, isInteger, promote, sizeOf, T, TYPEDEFS, type Abi } from './ctypes';
import { descriptorType } from './decl';
import { evalBinary, evalUnary, convert } from './evaluate';
import { kernelConstant, kernelGlobal } from './kernel-constants';
import { returnType } from './kernel-functions';
import { fieldType } from './kernel-structs';

const BINARY = new Set(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const SIZE_T = TYPEDEFS.size_t!;
const PTRDIFF_T = T.long;

/** The operator token of a node (tree-sitter keeps it as an unnamed child). */
export function operatorOf(node: SyntaxNode): string {
  const f = node.childForFieldName('operator');
  if (f) return f.text;
  for (const c of node.children) if (c && !c.isNamed) return c.text;
  return '';
}

export function stripParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1 && n.namedChildren[0]) n = n.namedChildren[0];
  return n;
}

/** `likely(x)` / `unlikely(x)`: branch hints with no effect on the value. */
export function hintArgument(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type !== 'call_expression') return undefined;
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'identifier' || (fn.text !== 'likely' && fn.text !== 'unlikely')) return undefined;
  const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
  return args.length === 1 ? args[0] : undefined;
}

/**
 * An expression with no calls, assignments or increments in it (so it can stay lazy). `memo`
 * (by node id) keeps lowering linear: condition() asks again at every level of an `&&` chain,
 * which was quadratic and ran out of memory on a chain of 3,200 calls (fuzz fixture and-chain).
 */
export function isPure(node: SyntaxNode, memo?: Map<number, boolean>): boolean {
  const known = memo?.get(node.id);
  if (known !== undefined) return known;
  let pure: boolean;
  if (['call_expression', 'assignment_expression', 'update_expression'].includes(node.type)) {
    const inner = hintArgument(node);
    pure = inner ? isPure(inner, memo) : false;
  } else {
    pure = node.namedChildren.every((c) => c === null || isPure(c, memo));
  }
  memo?.set(node.id, pure);
  return pure;
}

export function parseInteger(text: string, abi: Abi): { value: bigint; type: CType } | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text.trim());
  if (!m) return undefined;
  const digits = m[2]!;
  let v = digits.length > 1 && digits[0] === '0' && !/^0[xX]/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const suffix = m[3]!.toLowerCase();
  const unsignedSuffix = suffix.includes('u');
  const longs = (suffix.match(/l/g) ?? []).length;
  const decimal = !/^0/.test(digits) || digits === '0';
  // C99 6.4.4.1: the first type of the list that can hold the value.
  // `long long` is in every list: on ILP32 a constant past 32 bits needs it (on LP64 `long` holds it).
  const list: CType[] = (unsignedSuffix
    ? (longs > 1 ? [T.ullong] : longs ? [T.ulong, T.ullong] : [T.uint, T.ulong, T.ullong])
    : decimal ? (longs > 1 ? [T.llong] : longs ? [T.long, T.llong] : [T.int, T.long, T.llong])
      : (longs > 1 ? [T.llong, T.ullong] : longs ? [T.long, T.ulong, T.llong, T.ullong] : [T.int, T.uint, T.long, T.ulong, T.llong, T.ullong])
  ).map((t) => forAbi(t, abi));
  const type = list.find((t) => { const s = intShape(t)!; return v < (1n << BigInt(s.signed ? s.bits - 1 : s.bits)); }) ?? T.ullong;
  if (m[1] === '-') v = convert(-v, type, type);
  return { value: v, type };
}

function constOf(e: Expr): bigint | undefined {
  return e.k === 'const' ? e.value : undefined;
}

/** Lowering of expressions against one builder. */
export class ExprLowerer {
  private readonly pureMemo = new Map<number, boolean>();

  constructor(readonly b: Builder) {}

  private isPure(node: SyntaxNode): boolean {
    return isPure(node, this.pureMemo);
  }

  /** Lowers a value, emitting steps for its calls and side effects first. */
  value(node: SyntaxNode): Expr {
    const b = this.b;
    const loc = b.locOf(node);
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
        return inner ? this.value(inner) : this.unknown(node, 'empty parentheses');
      }
      case 'number_literal': {
        const n = parseInteger(node.text, b.abi);
        if (!n) return this.unknown(node, `number the model does not evaluate: ${node.text}`);
        return { k: 'const', value: n.value, type: n.type, loc, text: node.text };
      }
      case 'char_literal': {
        const body = node.text.slice(1, -1);
        const esc: Record<string, number> = { '\\n': 10, '\\t': 9, '\\0': 0, '\\\\': 92, "\\'": 39, '\\r': 13 };
        const v = esc[body] ?? (body.length === 1 ? body.charCodeAt(0) : undefined);
        return v === undefined ? this.unknown(node, 'character constant') : { k: 'const', value: BigInt(v), type: T.int, loc, text: node.text };
      }
      case 'string_literal':
      case 'concatenated_string':
        return { k: 'str', value: node.text, type: T.charPtr, loc };
      case 'true': case 'false':
        return { k: 'const', value: node.type === 'true' ? 1n : 0n, type: T.bool, loc, text: node.text };
      case 'null':
        return { k: 'const', value: 0n, type: T.voidPtr, loc, text: node.text };
      case 'identifier':
        return this.identifier(node, loc);
      case 'call_expression': {
        const inner = hintArgument(node);
        if (inner) return this.value(inner);
        // `(loff_t)(-1)`: tree-sitter reads a cast to a typedef name as a call of it.
        const castTo = this.typedefInParens(node.childForFieldName('function'));
        const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
        if (castTo && args.length === 1) return this.fold({ k: 'cast', operand: this.value(args[0]!), type: castTo, loc }, node);
        const result = this.call(node, true);
        return result ?? this.unknown(node, 'call with no value');
      }
      case 'field_expression': {
        const arrow = operatorOf(node) === '->';
        const object = this.value(node.childForFieldName('argument')!);
        const field = node.childForFieldName('field')?.text ?? '?';
        return { k: 'member', object, field, arrow, type: fieldType(object.type, field, arrow, this.b.abi), loc };
      }
      case 'subscript_expression': {
        const object = this.value(node.childForFieldName('argument')!);
        const index = this.value(node.childForFieldName('index')!);
        const ot = object.type;
        const type = ot.t === 'array' ? ot.of : ot.t === 'ptr' ? ot.to : T.unknown;
        return { k: 'index', object, index, type, loc };
      }
      case 'pointer_expression': {
        const op = operatorOf(node) as UnaryOp;
        const operand = this.value(node.childForFieldName('argument')!);
        const type: CType = op === '&' ? { t: 'ptr', to: operand.type } : operand.type.t === 'ptr' ? operand.type.to : T.unknown;
        return { k: 'unary', op, operand, type, loc };
      }
      case 'unary_expression': {
        const op = operatorOf(node) as UnaryOp;
        const operand = this.value(node.childForFieldName('argument')!);
        const type = op === '!' ? T.int : isInteger(operand.type) ? promote(operand.type) : operand.type;
        return this.fold({ k: 'unary', op, operand, type, loc }, node);
      }
      case 'binary_expression':
        return this.binaryNode(node, loc);
      case 'conditional_expression':
        return this.conditional(node, loc);
      case 'assignment_expression':
        return this.assignment(node);
      case 'update_expression':
        return this.update(node, true) ?? this.unknown(node, 'increment');
      case 'comma_expression':
        this.effect(node.childForFieldName('left')!);
        return this.value(node.childForFieldName('right')!);
      case 'cast_expression': {
        const type = descriptorType(node.childForFieldName('type')!, this.b.abi);
        const operand = this.value(node.childForFieldName('value')!);
        return this.fold({ k: 'cast', operand, type, loc }, node);
      }
      case 'sizeof_expression': {
        const tnode = node.childForFieldName('type');
        const vnode = node.childForFieldName('value');
        // The operand of sizeof is not evaluated: type it without emitting steps.
        // `sizeof(loff_t)`: tree-sitter reads an unknown typedef name as an expression.
        const word = vnode ? stripParens(vnode) : undefined;
        const typedef = word?.type === 'identifier' && !this.b.lookup(word.text) && Object.hasOwn(TYPEDEFS, word.text) ? TYPEDEFS[word.text] : undefined;
        const t = tnode ? descriptorType(tnode, this.b.abi) : typedef ? forAbi(typedef, this.b.abi) : vnode ? this.typeOnly(vnode) : T.unknown;
        const size = sizeOf(t, this.b.abi);
        const st = forAbi(SIZE_T, this.b.abi);
        return size === undefined ? { k: 'unknown', text: node.text, type: st, loc } : { k: 'const', value: BigInt(size), type: st, loc, text: node.text };
      }
      case 'ERROR':
        this.b.note('syntax', `cannot parse: ${node.text.slice(0, 60)}`, loc);
        return { k: 'unknown', text: node.text, type: T.unknown, loc };
      default:
        return this.unknown(node, `expression form the model does not evaluate: ${node.type}`);
    }
  }

  private unknown(node: SyntaxNode, why: string): Expr {
    const loc = this.b.locOf(node);
    this.b.note('unsupported', why, loc);
    return { k: 'unknown', text: node.text, type: T.unknown, loc };
  }

  /** The type of an expression without lowering it for real (for sizeof). */
  private typeOnly(node: SyntaxNode): CType {
    const saved = { steps: this.b.steps.length, cur: this.b.cur };
    const t = this.value(node).type;
    this.b.steps.length = saved.steps; // a sizeof operand holds no call worth keeping
    this.b.cur = saved.cur;
    return t;
  }

  private identifier(node: SyntaxNode, loc: Loc): Expr {
    const name = node.text;
    const found = this.b.lookup(name);
    if (found) return { k: 'name', name: found.v.name, scope: found.param ? 'param' : 'local', type: found.v.type, loc };
    const k = kernelConstant(name, this.b.abi, this.b.era);
    if (k) return { k: 'const', value: k.value, type: k.type, loc, text: name };
    const g = kernelGlobal(name, this.b.abi);
    if (g) return { k: 'name', name, scope: 'global', type: g, loc };
    if (this.b.implicitParams) {
      const v = this.b.declare(name, T.unknown, loc, true);
      return { k: 'name', name: v.name, scope: 'param', type: T.unknown, loc };
    }
    this.b.note('unmodeled', `'${name}' is not known to the model`, loc);
    return { k: 'name', name, scope: 'global', type: T.unknown, loc };
  }

  /** Folds an operation whose operands are all constants (keeping the source text). */
  private fold(e: Expr, node: SyntaxNode): Expr {
    let v: bigint | undefined;
    if (e.k === 'unary' && constOf(e.operand) !== undefined && isInteger(e.type)) v = evalUnary(e.op, constOf(e.operand)!, e.type, e.operand.type);
    else if (e.k === 'binary' && constOf(e.left) !== undefined && constOf(e.right) !== undefined && e.left.type.t !== 'ptr' && e.right.type.t !== 'ptr') {
      v = evalBinary(e.op, constOf(e.left)!, constOf(e.right)!, e.type, e.left.type, e.right.type);
    } else if (e.k === 'cast' && constOf(e.operand) !== undefined && intShape(e.type)) v = convert(constOf(e.operand)!, e.operand.type, e.type);
    if (v === undefined || !('type' in e)) return e;
    return { k: 'const', value: v, type: e.type, loc: e.loc, text: node.text };
  }

  /** The type of `l op r`. */
  static binaryType(op: BinaryOp, l: CType, r: CType, abi: Abi): CType {
    if (COMPARE.has(op)) return T.int;
    if (op === '<<' || op === '>>') return isInteger(l) ? promote(l) : T.unknown;
    if (l.t === 'ptr' || l.t === 'array') {
      if (op === '-' && (r.t === 'ptr' || r.t === 'array')) return forAbi(PTRDIFF_T, abi);
      return l.t === 'array' ? { t: 'ptr', to: l.of } : l;
    }
    if ((r.t === 'ptr' || r.t === 'array') && op === '+') return r.t === 'array' ? { t: 'ptr', to: r.of } : r;
    return commonType(l, r);
  }

  /** The type a `(name)` stands for when `name` is a known typedef and no variable of that name is in scope. */
  private typedefInParens(node: SyntaxNode | null): CType | undefined {
    if (node?.type !== 'parenthesized_expression') return undefined;
    const inner = node.namedChildren.filter((c) => c !== null && c.type !== 'comment');
    const word = inner.length === 1 ? inner[0]! : undefined;
    if (word?.type !== 'identifier' || this.b.lookup(word.text) || !Object.hasOwn(TYPEDEFS, word.text)) return undefined;
    return forAbi(TYPEDEFS[word.text]!, this.b.abi);
  }

  private binaryNode(node: SyntaxNode, loc: Loc): Expr {
    const op = operatorOf(node) as BinaryOp;
    if (!BINARY.has(op)) return this.unknown(node, `operator ${op}`);
    if ((op === '&&' || op === '||') && !this.isPure(node)) return this.logicalValue(node, loc);
    // `(loff_t)-1`: tree-sitter reads a cast to a typedef name before a unary minus or plus as a
    // subtraction or addition; the operand binds as tightly as the cast would let it here.
    const castTo = op === '-' || op === '+' ? this.typedefInParens(node.childForFieldName('left')) : undefined;
    if (castTo) {
      const operand = this.value(node.childForFieldName('right')!);
      const neg: Expr = op === '-' ? { k: 'unary', op: '-', operand, type: isInteger(operand.type) ? promote(operand.type) : operand.type, loc } : operand;
      return this.fold({ k: 'cast', operand: neg, type: castTo, loc }, node);
    }
    const left = this.value(node.childForFieldName('left')!);
    const right = this.value(node.childForFieldName('right')!);
    return this.fold({ k: 'binary', op, left, right, type: ExprLowerer.binaryType(op, left.type, right.type, this.b.abi), loc }, node);
  }

  /** `a && f()` as a value: branches that set a temporary to 1 or 0. */
  private logicalValue(node: SyntaxNode, loc: Loc): Expr {
    const t = this.b.temp(T.int, loc);
    const { t: yes, f: no } = this.condition(node);
    this.b.cur = yes;
    this.b.emit({ op: 'assign', target: t, value: { k: 'const', value: 1n, type: T.int, loc }, next: -1, loc });
    const after = this.b.cur;
    this.b.cur = no;
    this.b.emit({ op: 'assign', target: t, value: { k: 'const', value: 0n, type: T.int, loc }, next: -1, loc });
    this.b.cur = [...after, ...this.b.cur];
    return t;
  }

  private conditional(node: SyntaxNode, loc: Loc): Expr {
    const c = node.childForFieldName('condition')!;
    const a = node.childForFieldName('consequence');
    const z = node.childForFieldName('alternative')!;
    if (this.isPure(node) && a) {
      const test = this.value(c);
      const th = this.value(a);
      const el = this.value(z);
      const type = isInteger(th.type) && isInteger(el.type) ? commonType(th.type, el.type) : th.type;
      return { k: 'cond', test, then: th, else: el, type, loc };
    }
    const { t: yes, f: no } = this.condition(c);
    this.b.cur = yes;
    const th = a ? this.value(a) : this.value(c); // `x ?: y` (GNU) yields x
    const tmp = this.b.temp(th.type, loc);
    this.b.emit({ op: 'assign', target: tmp, value: th, next: -1, loc });
    const after = this.b.cur;
    this.b.cur = no;
    this.b.emit({ op: 'assign', target: tmp, value: this.value(z), next: -1, loc });
    this.b.cur = [...after, ...this.b.cur];
    return tmp;
  }

  /**
   * A condition as branches: returns the open slots taken when it is true and when it is false.
   * Pure conditions become one branch on a lazy expression; `&&`, `||` and `!` around calls
   * become chains of branches so that the calls run only when C would run them.
   */
  condition(node: SyntaxNode): { t: Slot[]; f: Slot[] } {
    const n = stripParens(node);
    const hinted = hintArgument(n);
    if (hinted) return this.condition(hinted);
    if (!this.isPure(n)) {
      if (n.type === 'unary_expression' && operatorOf(n) === '!') {
        const r = this.condition(n.childForFieldName('argument')!);
        return { t: r.f, f: r.t };
      }
      if (n.type === 'binary_expression' && (operatorOf(n) === '&&' || operatorOf(n) === '||')) {
        const and = operatorOf(n) === '&&';
        const l = this.condition(n.childForFieldName('left')!);
        this.b.cur = and ? l.t : l.f;
        const r = this.condition(n.childForFieldName('right')!);
        return and ? { t: r.t, f: [...l.f, ...r.f] } : { t: [...l.t, ...r.t], f: r.f };
      }
    }
    const e = this.value(n);
    return this.b.branch(e, this.b.locOf(node));
  }

  /**
   * A call: arguments left to right, then a `call` step. With `wantValue` the result lands in a
   * fresh temporary, which is returned; `into` names an lvalue to receive it instead.
   */
  call(node: SyntaxNode, wantValue: boolean, into?: Expr): Expr | undefined {
    const loc = this.b.locOf(node);
    const fn = stripParens(node.childForFieldName('function')!);
    let callee: string;
    let through: Expr | undefined;
    if (fn.type === 'identifier') callee = fn.text;
    else if (fn.type === 'field_expression') {
      callee = fn.childForFieldName('field')?.text ?? '?';
      through = this.value(fn.childForFieldName('argument')!);
    } else if (fn.type === 'pointer_expression' && operatorOf(fn) === '*') {
      const target = stripParens(fn.childForFieldName('argument')!);
      callee = target.type === 'field_expression' ? target.childForFieldName('field')?.text ?? '?' : target.text;
      through = this.value(fn);
    } else {
      callee = fn.text;
      this.b.note('unsupported', `call through an expression the model does not follow: ${fn.text}`, loc);
    }
    const args = (node.childForFieldName('arguments')?.namedChildren ?? [])
      .filter((c): c is SyntaxNode => c !== null && c.type !== 'comment')
      .map((a) => this.value(a));
    const result = into ?? (wantValue ? this.b.temp(returnType(callee, this.b.abi), loc) : undefined);
    this.b.emit({ op: 'call', callee, ...(through ? { through } : {}), args, ...(result ? { result } : {}), next: -1, loc });
    return result;
  }

  /** Lowers an expression for its effects only (an expression statement). */
  effect(node: SyntaxNode): void {
    const n = stripParens(node);
    if (n.type === 'call_expression' && !hintArgument(n)) { this.call(n, false); return; }
    if (n.type === 'update_expression') { this.update(n, false); return; }
    if (n.type === 'assignment_expression') { this.assignment(n); return; }
    if (n.type === 'comma_expression') { this.effect(n.childForFieldName('left')!); this.effect(n.childForFieldName('right')!); return; }
    if (n.type === 'conditional_expression' && !this.isPure(n)) {
      const { t, f } = this.condition(n.childForFieldName('condition')!);
      this.b.cur = t;
      const a = n.childForFieldName('consequence');
      if (a) this.effect(a);
      const after = this.b.cur;
      this.b.cur = f;
      this.effect(n.childForFieldName('alternative')!);
      this.b.cur = [...after, ...this.b.cur];
      return;
    }
    if (n.type === 'binary_expression' && !this.isPure(n) && (operatorOf(n) === '&&' || operatorOf(n) === '||')) {
      const { t, f } = this.condition(n);
      this.b.cur = [...t, ...f];
      return;
    }
    this.value(n); // a value computed for nothing still reads memory and may note unknown names
  }

  /** `a = b`, `a op= b`: emits the assignment (or a call straight into `a`); returns `a`. */
  assignment(node: SyntaxNode): Expr {
    const loc = this.b.locOf(node);
    const op = operatorOf(node);
    const target = this.value(node.childForFieldName('left')!);
    const rnode = stripParens(node.childForFieldName('right')!);
    if (op === '=' && rnode.type === 'call_expression' && !hintArgument(rnode)) {
      this.call(rnode, true, target);
      return target;
    }
    let value = this.value(rnode);
    if (op !== '=') {
      const bop = op.slice(0, -1) as BinaryOp;
      value = { k: 'binary', op: bop, left: target, right: value, type: ExprLowerer.binaryType(bop, target.type, value.type, this.b.abi), loc };
    }
    this.b.emit({ op: 'assign', target, value, next: -1, loc });
    return target;
  }

  /** `x++`, `--x`: spelled out as `x = x + 1`; as a value, postfix forms read x first into a temporary. */
  update(node: SyntaxNode, wantValue: boolean): Expr | undefined {
    const loc = this.b.locOf(node);
    const arg = node.childForFieldName('argument')!;
    const op = operatorOf(node);
    const prefix = node.children[0]?.text === op;
    const target = this.value(arg);
    let old: Expr | undefined;
    if (wantValue && !prefix) {
      old = this.b.temp(target.type, loc);
      this.b.emit({ op: 'assign', target: old, value: target, next: -1, loc });
    }
    const one: Expr = { k: 'const', value: 1n, type: T.int, loc };
    const bop: BinaryOp = op === '++' ? '+' : '-';
    const value: Expr = { k: 'binary', op: bop, left: target, right: one, type: ExprLowerer.binaryType(bop, target.type, T.int, this.b.abi), loc };
    this.b.emit({ op: 'assign', target, value, next: -1, loc });
    return wantValue ? old ?? target : undefined;
  }
}
