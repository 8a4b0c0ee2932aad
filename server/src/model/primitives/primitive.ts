/**
 * The shape of a primitive: an external function the library C calls that the model implements in
 * TypeScript, and the context it runs in (the draft state, the calling thread, the choice made for
 * a nondeterministic outcome, and where to report notes and violations).
 */
import type { FailureReason } from '../../findings';
import type { Draft } from '../draft';
import type { Page, Task, Wait } from '../state';
import type { Ref, Value } from '../values';
import type { ModelRule } from '../violations';
import type { MemoryModel } from '../weak';

export interface ModelOptions {
  /** Era of the library ('2.5.70', '2.6.10', '2.6.20'): unmapping bumps truncate_count after 2.5. */
  era?: string;
  fs: 'ext3' | 'nfs';
  /**
   * The I/O-error flavour: every read ->readpage starts fails at completion (PG_error set, the
   * page unlocked and not uptodate), as a failing disk or a server that keeps erroring does.
   */
  readErrors?: boolean;
  /** Extra results ->direct_IO may return besides success (e.g. [-5n] for -EIO). */
  directIOErrors?: bigint[];
  /** Member name of an operations table → function that implements it (`nopage` → `filemap_nopage`). */
  ops?: Record<string, string>;
  /** Visible steps one thread may take before the run is cut (incomplete). */
  maxStepsPerThread?: number;
  /** `sc` (default): accesses in program order; `weak`: the reorderings of model/weak.ts. */
  memoryModel?: MemoryModel;
}

export interface PrimCtx {
  d: Draft;
  /** Calling thread's name. */
  tid: string;
  options: ModelOptions;
  /** Picks one of `n` outcomes; the first call of a step decides the step's choice count. */
  choose(n: number): number;
  note(message: string): void;
  violation(rule: ModelRule, message: string, reason?: FailureReason): void;
  /** Records a read of an object (for DPOR). */
  read(key: string): void;
  /** Reads or writes a field of a thread-local struct or model object. */
  getField(r: Ref, field: string): Value;
  setField(r: Ref, field: string, v: Value): void;
  /** An unordered atomic read-modify-write: adds `delta` to a field (atomic_inc and kin). */
  atomicAdd(r: Ref, field: string, delta: bigint): void;
  /** A local of the top frame is about to be read / assigned (the weak mode's delayed loads). */
  useLocal?(name: string): void;
  assignLocal?(name: string): void;
  /** Starts a pseudo-thread (an I/O completion) and returns its name. */
  spawn(name: string, task: Task): string;
  /** A function of the patch returned `value` (the interpreter's own hook: traces show it). */
  returned?(fn: string, value: Value): void;
}

export type PrimResult = Value | { block: Wait };

export interface Primitive {
  name: string;
  doc: string;
  /** May sleep: calling it with a spinlock held violates sleep-in-atomic. */
  sleeps: boolean;
  /** Touches no shared state: the call is not a scheduling point. */
  pure?: boolean;
  run(ctx: PrimCtx, args: Value[]): PrimResult;
  /** Its first argument is an lvalue whose address it takes (`READ_ONCE(*x)`, `WRITE_ONCE(*x, v)`). */
  lvalue?: boolean;
  /** Its result is a load of this field: the weak mode may delay it when the result goes to a local. */
  loads?(args: Value[]): { r: Ref; field: string } | undefined;
}

export function isBlock(r: PrimResult): r is { block: Wait } {
  return typeof r === 'object' && r !== null && 'block' in r;
}

/** The page a pointer argument designates (the draft's editable copy), or undefined. */
export function argPage(ctx: PrimCtx, v: Value | undefined): Page | undefined {
  if (v === undefined || typeof v === 'bigint' || !('ref' in v) || v.ref !== 'page') return undefined;
  return ctx.d.pageIfAny(Number(v.id));
}

/** The id of the model object of `kind` that a pointer argument designates. */
export function argId(v: Value | undefined, kind: Ref['ref']): number | undefined {
  if (v === undefined || typeof v === 'bigint' || !('ref' in v) || v.ref !== kind) return undefined;
  return Number(v.id);
}

export function bool(b: boolean): bigint {
  return b ? 1n : 0n;
}

