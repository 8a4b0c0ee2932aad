/**
 * The step program's expressions compiled to closures (issue 13): each expression node becomes a
 * function of the evaluation environment, built once on first use and cached per node in a
 * WeakMap (the IR stays plain data), so a step no longer dispatches on node kinds and operators
 * every time it runs. The closures are the one implementation of the expressions' meaning:
 * locals and parameters from the top frame, member accesses through the field table (the
 * context's getField, which records the reads that make footprints and routes weak locations
 * through the weak model), `*ptep` through the page tables, integer arithmetic through
 * lower/evaluate.ts (via arith.ts), `&&`, `||` and `?:` lazily. Evaluation order, notes and
 * violations are those of a left-to-right walk of the tree.
 * Limit: a closure is specialised on what the node says statically (kind, operator, scope); types
 * are still passed to arith.ts on each evaluation, which recomputes promotions there.
 */
import type { Expr } from '../ir/step-program';
import { binary, convert, unary } from './arith';
import { readPte } from './primitives/ptes';
import type { PrimCtx } from './primitives/primitive';
import type { Frame } from './state';
import { isList, isRef, mkRef, sameValue, truthy, type Ref, type Value } from './values';

/** What a compiled expression runs against: one thread's step context and its top frame. */
export interface ExprEnv {
  readonly ctx: PrimCtx;
  /** The thread's top frame, the draft's own copy (stores write its locals). */
  frame(): Frame;
}

/** An expression's value. */
export type ValueCode = (env: ExprEnv) => Value;
/** A store into an lvalue (converted to the lvalue's type). */
export type StoreCode = (env: ExprEnv, v: Value) => void;

const values = new WeakMap<Expr, ValueCode>();
const addresses = new WeakMap<Expr, ValueCode>();
const stores = new WeakMap<Expr, StoreCode>();

/** The compiled value of `e` (built on first use). */
export function valueCode(e: Expr): ValueCode {
  let c = values.get(e);
  if (!c) values.set(e, (c = compileValue(e)));
  return c;
}

/** The compiled address of `e` (`&e`: a pointer to a model object's field, a struct, a global). */
export function addressCode(e: Expr): ValueCode {
  let c = addresses.get(e);
  if (!c) addresses.set(e, (c = compileAddress(e)));
  return c;
}

/** The compiled store into the lvalue `e`. */
export function storeCode(e: Expr): StoreCode {
  let c = stores.get(e);
  if (!c) stores.set(e, (c = compileStore(e)));
  return c;
}

/** `obj->field` or `obj.field`; an unknown field gets a note and a chosen value (0 or 1). */
function readMember(ctx: PrimCtx, obj: Value, field: string): Value {
  if (!isRef(obj)) {
    if (obj === 0n) ctx.violation('bug-on', `NULL pointer dereference reading ->${field}`);
    else ctx.note(`->${field} of something that is not a model object`);
    return 0n;
  }
  const target: Ref = obj.field && obj.ref !== 'struct' ? { ref: obj.ref, id: obj.id } : obj;
  return ctx.getField(target, field);
}

function deref(ctx: PrimCtx, v: Value): Value {
  if (isRef(v) && v.ref === 'pte') return readPte(ctx, v);
  if (isRef(v) && v.field) return ctx.getField({ ref: v.ref, id: v.id }, v.field);
  if (isRef(v) && v.ref === 'struct') return v;
  if (v === 0n) ctx.violation('bug-on', 'NULL pointer dereference');
  else ctx.note('dereference the model cannot follow');
  return 0n;
}

function compileValue(e: Expr): ValueCode {
  switch (e.k) {
    case 'const': { const v = e.value; return () => v; }
    case 'str': return () => mkRef('str', 0);
    case 'unknown': {
      const msg = `expression not evaluated by the model: ${e.text}`;
      return (env) => { env.ctx.note(msg); return 0n; };
    }
    case 'name': {
      const name = e.name;
      if (e.scope === 'global') return () => mkRef('global', name);
      const unset = `${name} read before it was set`;
      return (env) => {
        const ctx = env.ctx;
        ctx.useLocal?.(name);
        const v = env.frame().locals[name];
        if (v === undefined) { ctx.note(unset); return 0n; }
        return v;
      };
    }
    case 'member': {
      const obj = valueCode(e.object);
      const field = e.field;
      return (env) => readMember(env.ctx, obj(env), field);
    }
    case 'index': {
      const obj = valueCode(e.object);
      const index = valueCode(e.index);
      return (env) => {
        const o = obj(env);
        const i = index(env);
        if (isList(o)) return o.list[Number(typeof i === 'bigint' ? i : 0n)] ?? 0n;
        if (isRef(o) && i === 0n) return o;
        env.ctx.note('indexing the model cannot follow');
        return 0n;
      };
    }
    case 'unary': return compileUnary(e);
    case 'binary': return compileBinary(e);
    case 'cond': {
      const test = valueCode(e.test);
      const then = valueCode(e.then);
      const other = valueCode(e.else);
      return (env) => (truthy(test(env)) ? then(env) : other(env));
    }
    case 'cast': {
      const operand = valueCode(e.operand);
      const to = e.type;
      const from = e.operand.type;
      return (env) => {
        const v = operand(env);
        return typeof v === 'bigint' ? convert(v, to, from) : v;
      };
    }
  }
}

function compileUnary(e: Extract<Expr, { k: 'unary' }>): ValueCode {
  const op = e.op;
  if (op === '&') return addressCode(e.operand);
  const operand = valueCode(e.operand);
  if (op === '*') return (env) => deref(env.ctx, operand(env));
  if (op === '!') return (env) => (truthy(operand(env)) ? 0n : 1n);
  const type = e.type;
  const operandType = e.operand.type;
  const onPointer = `operator ${op} on a pointer`;
  return (env) => {
    const v = operand(env);
    if (typeof v !== 'bigint') { env.ctx.note(onPointer); return 0n; }
    return unary(op, v, type, operandType) ?? 0n;
  };
}

function compileBinary(e: Extract<Expr, { k: 'binary' }>): ValueCode {
  const op = e.op;
  const left = valueCode(e.left);
  const right = valueCode(e.right);
  if (op === '&&') return (env) => (truthy(left(env)) && truthy(right(env)) ? 1n : 0n);
  if (op === '||') return (env) => (truthy(left(env)) || truthy(right(env)) ? 1n : 0n);
  const type = e.type;
  const lt = e.left.type;
  const rt = e.right.type;
  const onPointers = `operator ${op} on pointers the model cannot compute`;
  const byZero = `division by zero (${op})`;
  return (env) => {
    const a = left(env);
    const b = right(env);
    if (typeof a !== 'bigint' || typeof b !== 'bigint') {
      if (op === '==') return sameValue(a, b) ? 1n : 0n;
      if (op === '!=') return sameValue(a, b) ? 0n : 1n;
      if ((op === '+' || op === '-') && typeof b === 'bigint') return a;
      env.ctx.note(onPointers);
      return 0n;
    }
    const r = binary(op, a, b, type, lt, rt);
    if (r === undefined) { env.ctx.violation('bug-on', byZero); return 0n; }
    return r;
  };
}

function compileAddress(e: Expr): ValueCode {
  if (e.k === 'name') {
    const name = e.name;
    const global = e.scope === 'global';
    const self = `&${name}`;
    return (env) => {
      const v = global ? undefined : env.frame().locals[name];
      if (isRef(v) && v.ref === 'struct') return v;
      return mkRef('global', self);
    };
  }
  if (e.k === 'member') {
    const obj = valueCode(e.object);
    const field = e.field;
    const notObject = `&->${field} of something that is not a model object`;
    return (env) => {
      const o = obj(env);
      if (isRef(o)) return { ref: o.ref, id: o.id, field };
      env.ctx.note(notObject);
      return 0n;
    };
  }
  if (e.k === 'index') return valueCode(e);
  if (e.k === 'unary' && e.op === '*') return valueCode(e.operand);
  return cannot('address the model cannot take');
}

/** A closure that only notes what the model cannot do (and yields 0 where a value is wanted). */
function cannot(message: string): (env: ExprEnv) => 0n {
  return (env) => { env.ctx.note(message); return 0n; };
}

const STORE_CANNOT = 'store the model cannot follow';

function compileStore(target: Expr): StoreCode {
  const type = target.type;
  const conv = (x: Value): Value => (typeof x === 'bigint' ? convert(x, type) : x);
  switch (target.k) {
    case 'name': {
      const name = target.name;
      if (target.scope === 'global') return cannot(`store to global ${name} ignored`);
      return (env, v) => {
        const ctx = env.ctx;
        ctx.assignLocal?.(name);
        // Through the draft: a frame's copy shares its locals with the base state until written.
        ctx.d.locals(env.frame())[name] = conv(v);
      };
    }
    case 'member': {
      const obj = valueCode(target.object);
      const field = target.field;
      const notObject = `store to ->${field} of something that is not a model object`;
      return (env, v) => {
        const o = obj(env);
        if (!isRef(o)) { env.ctx.note(notObject); return; }
        env.ctx.setField({ ref: o.ref, id: o.id }, field, conv(v));
      };
    }
    case 'index': {
      const member = target.object;
      if (member.k !== 'member') return cannot(STORE_CANNOT);
      const parentCode = valueCode(member.object);
      const listCode = valueCode(member);
      const index = valueCode(target.index);
      const field = member.field;
      return (env, v) => {
        const parent = parentCode(env);
        const list = listCode(env);
        const i = Number(index(env) as bigint);
        if (!isRef(parent) || !isList(list)) { env.ctx.note(STORE_CANNOT); return; }
        const copy = [...list.list];
        copy[i] = conv(v);
        env.ctx.setField(parent, field, { list: copy });
      };
    }
    case 'unary': {
      if (target.op !== '*') return cannot(STORE_CANNOT);
      const pointer = valueCode(target.operand);
      return (env, v) => {
        const p = pointer(env);
        if (isRef(p) && p.field) { env.ctx.setField({ ref: p.ref, id: p.id }, p.field, conv(v)); return; }
        if (p === 0n) return; // `if (type) *type = ...` guards NULL; an unguarded one is not judged here
        env.ctx.note(STORE_CANNOT);
      };
    }
    default: return cannot(STORE_CANNOT);
  }
}
