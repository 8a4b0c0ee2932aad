/**
 * Expressions of the step program, evaluated on the model: locals and parameters from the top
 * frame, member accesses through the field table, `*ptep` through the page tables, integer
 * arithmetic through lower/evaluate.ts (via arith.ts), `&&`, `||` and `?:` lazily. Also the
 * static question the scheduler asks: can this expression touch shared state?
 */
import type { Expr } from '../ir/step-program';
import { binary, convert, unary } from './arith';
import { readPte } from './primitives/ptes';
import type { PrimCtx } from './primitives/primitive';
import type { Frame } from './state';
import { isList, isRef, mkRef, sameValue, truthy, type Ref, type Value } from './values';

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

/** Evaluates expressions for one thread's top frame. */
export class Evaluator {
  constructor(private ctx: PrimCtx, private frame: () => Frame) {}

  value(e: Expr): Value {
    const ctx = this.ctx;
    switch (e.k) {
      case 'const': return e.value;
      case 'str': return mkRef('str', 0);
      case 'unknown':
        ctx.note(`expression not evaluated by the model: ${e.text}`);
        return 0n;
      case 'name': {
        if (e.scope === 'global') return mkRef('global', e.name);
        ctx.useLocal?.(e.name);
        const v = this.frame().locals[e.name];
        if (v === undefined) { ctx.note(`${e.name} read before it was set`); return 0n; }
        return v;
      }
      case 'member': {
        const obj = this.value(e.object);
        return this.field(obj, e.field);
      }
      case 'index': {
        const obj = this.value(e.object);
        const i = this.value(e.index);
        if (isList(obj)) return obj.list[Number(typeof i === 'bigint' ? i : 0n)] ?? 0n;
        if (isRef(obj) && i === 0n) return obj;
        ctx.note('indexing the model cannot follow');
        return 0n;
      }
      case 'unary': {
        if (e.op === '&') return this.address(e.operand);
        const v = this.value(e.operand);
        if (e.op === '*') return this.deref(v);
        if (e.op === '!') return truthy(v) ? 0n : 1n;
        if (typeof v !== 'bigint') { ctx.note(`operator ${e.op} on a pointer`); return 0n; }
        return unary(e.op, v, e.type, e.operand.type) ?? 0n;
      }
      case 'binary': {
        if (e.op === '&&') return truthy(this.value(e.left)) && truthy(this.value(e.right)) ? 1n : 0n;
        if (e.op === '||') return truthy(this.value(e.left)) || truthy(this.value(e.right)) ? 1n : 0n;
        const a = this.value(e.left);
        const b = this.value(e.right);
        if (typeof a !== 'bigint' || typeof b !== 'bigint') {
          if (e.op === '==') return sameValue(a, b) ? 1n : 0n;
          if (e.op === '!=') return sameValue(a, b) ? 0n : 1n;
          if ((e.op === '+' || e.op === '-') && typeof b === 'bigint') return a;
          ctx.note(`operator ${e.op} on pointers the model cannot compute`);
          return 0n;
        }
        const r = binary(e.op, a, b, e.type, e.left.type, e.right.type);
        if (r === undefined) { ctx.violation('bug-on', `division by zero (${e.op})`); return 0n; }
        return r;
      }
      case 'cond': return truthy(this.value(e.test)) ? this.value(e.then) : this.value(e.else);
      case 'cast': {
        const v = this.value(e.operand);
        return typeof v === 'bigint' ? convert(v, e.type, e.operand.type) : v;
      }
    }
  }

  /** `obj->field` or `obj.field`; an unknown field gets a note and a chosen value (0 or 1). */
  field(obj: Value, field: string): Value {
    if (!isRef(obj)) {
      if (obj === 0n) this.ctx.violation('bug-on', `NULL pointer dereference reading ->${field}`);
      else this.ctx.note(`->${field} of something that is not a model object`);
      return 0n;
    }
    const target: Ref = obj.field && obj.ref !== 'struct' ? { ref: obj.ref, id: obj.id } : obj;
    return this.ctx.getField(target, field);
  }

  deref(v: Value): Value {
    if (isRef(v) && v.ref === 'pte') return readPte(this.ctx, v);
    if (isRef(v) && v.field) return this.ctx.getField({ ref: v.ref, id: v.id }, v.field);
    if (isRef(v) && v.ref === 'struct') return v;
    if (v === 0n) this.ctx.violation('bug-on', 'NULL pointer dereference');
    else this.ctx.note('dereference the model cannot follow');
    return 0n;
  }

  address(e: Expr): Value {
    if (e.k === 'name') {
      const v = e.scope === 'global' ? undefined : this.frame().locals[e.name];
      if (isRef(v) && v.ref === 'struct') return v;
      return mkRef('global', `&${e.name}`);
    }
    if (e.k === 'member') {
      const obj = this.value(e.object);
      if (isRef(obj)) return { ref: obj.ref, id: obj.id, field: e.field };
      this.ctx.note(`&->${e.field} of something that is not a model object`);
      return 0n;
    }
    if (e.k === 'index') return this.value(e);
    if (e.k === 'unary' && e.op === '*') return this.value(e.operand);
    this.ctx.note('address the model cannot take');
    return 0n;
  }

  /** Stores into an lvalue. */
  assign(target: Expr, v: Value): void {
    const ctx = this.ctx;
    const conv = (x: Value): Value => (typeof x === 'bigint' ? convert(x, target.type) : x);
    switch (target.k) {
      case 'name':
        if (target.scope === 'global') { ctx.note(`store to global ${target.name} ignored`); return; }
        ctx.assignLocal?.(target.name);
        // Through the draft: a frame's copy shares its locals with the base state until written.
        ctx.d.locals(this.frame())[target.name] = conv(v);
        return;
      case 'member': {
        const obj = this.value(target.object);
        if (!isRef(obj)) { ctx.note(`store to ->${target.field} of something that is not a model object`); return; }
        ctx.setField({ ref: obj.ref, id: obj.id }, target.field, conv(v));
        return;
      }
      case 'index': {
        if (target.object.k !== 'member') break;
        const parent = this.value(target.object.object);
        const list = this.value(target.object);
        const i = Number(this.value(target.index) as bigint);
        if (!isRef(parent) || !isList(list)) break;
        const copy = [...list.list];
        copy[i] = conv(v);
        ctx.setField(parent, target.object.field, { list: copy });
        return;
      }
      case 'unary': {
        if (target.op !== '*') break;
        const p = this.value(target.operand);
        if (isRef(p) && p.field) { ctx.setField({ ref: p.ref, id: p.id }, p.field, conv(v)); return; }
        if (p === 0n) return; // `if (type) *type = ...` guards NULL; an unguarded one is not judged here
        break;
      }
      default: break;
    }
    ctx.note('store the model cannot follow');
  }
}
