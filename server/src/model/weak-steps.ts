/**
 * The interpreter's steps that exist only under `--memory-model weak` (model/weak.ts holds the
 * queues and their rules): issuing a delayed load, and one step of a thread's memory actor.
 */
import type { CType, Expr } from '../ir/step-program';
import { withEffects } from './effects';
import { readList, writtenBetween } from './footprint';
import type { Evaluator } from './eval';
import type { StepRecord, StepResult } from './step-result';
import { stateViolations } from './invariants';
import type { PrimCtx } from './primitives/primitive';
import { Draft } from './draft';
import type { State } from './state';
import { isRef, mkRef, type Ref } from './values';
import * as weak from './weak';

/**
 * `local = <load of a weak location>` (a member or `*p`, possibly cast to an integer type) issues
 * a delayed load instead of reading now. True when it did: the load is performed when the local is
 * first used, when a barrier orders it, or by the memory actor.
 */
export function delayLoad(ctx: PrimCtx, ev: Evaluator, target: Expr, value: Expr): boolean {
  let e = value;
  while (e.k === 'cast') e = e.operand;
  if (target.k !== 'name' || target.scope === 'global') return false;
  let at: { r: Ref; field: string } | undefined;
  if (e.k === 'member' && e.arrow) {
    const obj = ev.value(e.object);
    if (isRef(obj)) at = { r: obj.field && obj.ref !== 'struct' ? mkRef(obj.ref, obj.id) : obj, field: e.field };
  } else if (e.k === 'unary' && e.op === '*') {
    const p = ev.value(e.operand);
    if (isRef(p) && p.field !== undefined) at = { r: mkRef(p.ref, p.id), field: p.field };
  }
  return delayInto(ctx, target, at, value.k === 'cast' ? value.type : undefined);
}

/** Issues a delayed load of `at` into the local `target` when `at` is a weak location. */
export function delayInto(ctx: PrimCtx, target: Expr, at: { r: Ref; field: string } | undefined, via?: CType): boolean {
  if (target.k !== 'name' || target.scope === 'global' || !at || !weak.isWeakLocation(at.r, at.field)) return false;
  if (via && via.t !== 'int' && via.t !== 'bool') return false;
  ctx.assignLocal?.(target.name);
  weak.pushLoad(ctx, weak.locationOf(at.r, at.field), ctx.d.thread(ctx.tid).frames.length - 1, target.name, target.type);
  return true;
}

/** A step of `owner`'s memory actor (`name`): flush a queued store or perform a delayed load. */
export function actorStep(s: State, owner: string, name: string, choice: number): StepResult {
  const d = new Draft(s);
  const reads = d.reads;
  const moves = weak.actorMoves(s, owner).length;
  const effect = weak.actorStep({ d, tid: owner, read: (k) => reads.add(k) }, choice);
  const t = s.threads.find((x) => x.name === owner);
  const record: StepRecord = { thread: name, fn: t?.frames.at(-1)?.fn ?? owner, source: 'model', code: effect };
  const after = d.state;
  const violations = stateViolations(s, after).map((v) => ({ ...v, thread: name }));
  return withEffects(s, {
    state: after, record, returns: [], violations, notes: [],
    reads: readList(reads), writes: writtenBetween(s, after), choices: Math.max(1, moves),
  }, effect);
}
