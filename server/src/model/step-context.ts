/**
 * What one step of a thread runs in (interpreter.ts): the draft, the thread, the choice made for
 * the step and where its notes, violations and patch returns go. The primitives' context
 * (PrimCtx) and the weak model's (WeakCtx) at once, as one object with its methods on the
 * prototype: a step made this context as an object of a dozen closures before, about 1.4 KB a
 * step, most of what the step's own frame allocated. The weak mode's two hooks (`useLocal`,
 * `assignLocal`) exist only on its subclass, so that under `sc` the compiled expressions' `?.`
 * calls find nothing, as they did.
 */
import type { FailureReason } from '../findings';
import type { Draft } from './draft';
import { readField, readStruct, writeField } from './fields';
import { idText } from './footprint';
import type { ModelOptions, PrimCtx } from './primitives/primitive';
import type { Task } from './state';
import type { StepResult, StepViolation } from './step-result';
import { mkRef, type Ref, type Value } from './values';
import type { ModelRule } from './violations';
import * as weak from './weak';

/** What the context needs of the interpreter running the step. */
export interface StepHost {
  readonly options: ModelOptions;
  /** The function a method of the flavour's operations tables runs (null: a NULL method). */
  method(name: string): string | null;
  /** Starts a pseudo-thread in the draft; its name. */
  spawn(d: Draft, base: string, task: Task): string;
  /** The function is one of the patch's (its results are shown in traces). */
  fromPatch(fn: string): boolean;
}

/** A step's empty lists, shared: most steps note, break and return nothing. Frozen, so that a
 *  consumer pushing to a step result's list fails loudly instead of writing into every step's. */
const NO_NOTES: string[] = Object.freeze([]) as unknown as string[];
const NO_VIOLATIONS: StepViolation[] = Object.freeze([]) as unknown as StepViolation[];
const NO_RETURNS: StepResult['returns'] = Object.freeze([]) as unknown as StepResult['returns'];

export class StepContext implements PrimCtx, weak.WeakCtx {
  readonly options: ModelOptions;
  /** What the step noted, broke and saw the patch return: shared empty lists until the first. */
  notes: string[] = NO_NOTES;
  violations: StepViolation[] = NO_VIOLATIONS;
  returns: StepResult['returns'] = NO_RETURNS;
  /** The outcomes the step's first choice had (0: it chose nothing). */
  nChoices = 0;

  constructor(readonly d: Draft, readonly tid: string, private readonly choice: number, private readonly host: StepHost) {
    this.options = host.options;
  }

  choose(n: number): number {
    if (this.nChoices > 0) return 0;
    this.nChoices = Math.max(1, n);
    return Math.min(this.choice, n - 1);
  }

  note(message: string): void {
    if (this.notes === NO_NOTES) this.notes = [];
    this.notes.push(message);
  }

  violation(rule: ModelRule, message: string, reason?: FailureReason): void {
    this.broke(reason ? { rule, message, thread: this.tid, reason } : { rule, message, thread: this.tid });
  }

  /** Adds a violation to the step's (the interpreter's state invariants come this way too). */
  broke(v: StepViolation): void {
    if (this.violations === NO_VIOLATIONS) this.violations = [];
    this.violations.push(v);
  }

  read(key: string): void {
    this.d.reads.add(key);
  }

  getField(r: Ref, field: string): Value {
    if (r.ref === 'ops') { const m = this.host.method(field); return m === null ? 0n : mkRef('fn', m); }
    if (this.weakLocation(r, field)) return weak.loadNow(this, weak.locationOf(r, field));
    const d = this.d;
    let v: Value | undefined;
    if (r.ref === 'struct') v = readStruct(d, r.id)?.[field];
    else {
      d.reads.add(idText(r.ref, r.id));
      v = readField(d, r, field);
    }
    if (v !== undefined) return v;
    this.note(`unmodeled field ->${field} of ${r.ref}`);
    return BigInt(this.choose(2));
  }

  setField(r: Ref, field: string, v: Value): void {
    if (typeof v === 'bigint' && this.weakLocation(r, field)) weak.pushStore(this, weak.locationOf(r, field), v);
    else if (!writeField(this.d, this.tid, r, field, v)) this.note(`store to unmodeled field ->${field} of ${r.ref}`);
  }

  atomicAdd(r: Ref, field: string, delta: bigint): void {
    if (this.weakLocation(r, field)) { weak.pushAdd(this, weak.locationOf(r, field), delta); return; }
    const old = this.getField(r, field);
    this.setField(r, field, (typeof old === 'bigint' ? old : 0n) + delta);
  }

  spawn(base: string, task: Task): string {
    return this.host.spawn(this.d, base, task);
  }

  returned(fn: string, value: Value): void {
    if (typeof value !== 'bigint' || !this.host.fromPatch(fn)) return;
    if (this.returns === NO_RETURNS) this.returns = [];
    this.returns.push({ fn, value });
  }

  /** A field the weak mode delays or buffers (never under `sc`). */
  protected weakLocation(_r: Ref, _field: string): boolean {
    return false;
  }
}

/** The context of a step under the weak memory model (weak.ts): loads and stores of its
 *  locations go through the thread's queues, and the top frame's locals are watched. */
export class WeakStepContext extends StepContext {
  useLocal(name: string): void {
    weak.useLocal(this, this.topDepth(), name);
  }

  assignLocal(name: string): void {
    const depth = this.topDepth();
    weak.dropLoads(this, (e) => e.depth !== depth || e.local !== name);
  }

  protected override weakLocation(r: Ref, field: string): boolean {
    return weak.isWeakLocation(r, field);
  }

  private topDepth(): number {
    return (this.d.s.threads.find((x) => x.name === this.tid)?.frames.length ?? 0) - 1;
  }
}
