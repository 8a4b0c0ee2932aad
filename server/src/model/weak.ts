/**
 * The weak-memory mode (DESIGN section 13, `--memory-model weak`): an operational model of the
 * reorderings the Linux-kernel memory model (LKMM) allows for unordered accesses, checked against
 * the kernel's litmus tests (test/model/litmus/).
 *
 * The machine is multi-copy atomic: memory is the state's own fields (one value per location,
 * what every other thread and every invariant sees), and each thread keeps a queue of its
 * accesses that have not reached memory yet, in program order:
 * - a store (`st`) or an unordered read-modify-write (`add`, atomic_inc and kin) waits in the
 *   queue until it is flushed; stores to different locations may flush in any order, stores to
 *   one location flush in program order (coherence), and an smp_wmb() (`wmb`) keeps every store
 *   after it behind every store before it;
 * - a load whose value goes straight into a local (`r = READ_ONCE(*x)`, `seq = m->truncate_count`,
 *   `size = i_size_read(inode)`) may be delayed (`ld`): it is performed when the local is first
 *   used, when a barrier orders it, or earlier by the thread's memory actor. Loads of one location
 *   are performed in program order; a load reads the thread's own youngest earlier queued store to
 *   its location if there is one (store forwarding), else memory.
 * Flushing a store and performing a delayed load are steps of the thread's memory actor
 * (`<thread>.mem`): explorer transitions with one choice per eligible entry, so traces show them
 * and the search bounds apply. Ordering comes only from:
 * - smp_mb() and the value-returning atomics (full: every earlier load performed, every earlier
 *   store flushed, before anything later); smp_rmb() (earlier loads performed before later ones);
 *   smp_wmb() (earlier stores flushed before later ones);
 * - releases (spin_unlock, up, mutex_unlock, unlock_page, smp_store_release): everything earlier
 *   completes first; acquires (spin_lock, down, lock_page, smp_load_acquire) are performed where
 *   they stand, so nothing later can pass them;
 * - dependencies: a delayed load is performed before any use of its local, so an address, data or
 *   control dependency orders it before what depends on it;
 * - a thread that sleeps (blocks on a semaphore, a page lock, I/O) passes through schedule(),
 *   which the kernel orders fully (memory-barriers.txt, "Sleep and wake-up functions").
 *
 * Limits, all known false negatives (behaviours the LKMM allows that this model never shows):
 * - loads are only ever delayed, never performed early: a load cannot be hoisted above an earlier
 *   acquire, branch or primitive operation (MP with a control dependency instead of smp_rmb() on
 *   the reader is allowed by the LKMM but not shown here);
 * - memory is multi-copy atomic: a store reaches every other thread at once (the LKMM lets
 *   Power-like machines show WRC or IRIW without cumulative barriers in other ways);
 * - only the locations `isWeakLocation` names are weak: the plain fields C code stores to
 *   (`inode->i_size`, `mapping->truncate_count`) and the litmus variables. Page flags, the radix
 *   tree, ptes, counts and locks are changed by primitives that act on memory at once, in
 *   program order.
 */
import type { CType } from '../ir/step-program';
import { convert } from './arith';
import { readField, writeField } from './fields';
import type { Draft } from './draft';
import type { State } from './state';
import type { WeakEntry } from './weak-entry';
import { isRef, mkRef, refKey, type Ref, type Value } from './values';

export type MemoryModel = 'sc' | 'weak';
export const MEMORY_MODELS: readonly MemoryModel[] = ['sc', 'weak'];

/** Name of a thread's memory actor. */
export const MEMORY_ACTOR = '.mem';
export function memoryActor(thread: string): string { return `${thread}${MEMORY_ACTOR}`; }
export function actorOwner(name: string): string | undefined {
  return name.endsWith(MEMORY_ACTOR) ? name.slice(0, -MEMORY_ACTOR.length) : undefined;
}

/** Fields that are weak locations: scalar fields that C code stores to with plain accesses. */
const WEAK_FIELDS: Record<string, ReadonlySet<string>> = {
  inode: new Set(['i_size']),
  mapping: new Set(['truncate_count']),
};

export function isWeakLocation(r: Ref, field: string): boolean {
  return r.ref === 'var' || (WEAK_FIELDS[r.ref]?.has(field) ?? false);
}

/** The location a field reference names (`inode:1.i_size`). */
export function locationOf(r: Ref, field: string): string {
  return refKey({ ref: r.ref, id: r.id, field });
}

function parseLocation(loc: string): { r: Ref; field: string } {
  const colon = loc.indexOf(':');
  const dot = loc.indexOf('.', colon);
  return { r: mkRef(loc.slice(0, colon) as Ref['ref'], loc.slice(colon + 1, dot)), field: loc.slice(dot + 1) };
}

/** What the queue operations need: the draft, the thread, and where to record reads. */
export interface WeakCtx {
  d: Draft;
  tid: string;
  read(key: string): void;
}

/** The object key footprints use for a location (what Draft.edit records as written). */
function objectKey(loc: string): string {
  const { r } = parseLocation(loc);
  return r.ref === 'var' ? loc : `${r.ref}:${r.id}`;
}

export function memoryRead(c: WeakCtx, loc: string): bigint {
  const { r, field } = parseLocation(loc);
  c.read(objectKey(loc));
  const v = readField(c.d, r, field);
  return typeof v === 'bigint' ? v : 0n;
}

function memoryWrite(c: WeakCtx, loc: string, v: bigint): void {
  const { r, field } = parseLocation(loc);
  writeField(c.d, c.tid, r, field, v);
}

/** A thread's queue. It lives in the thread (`Thread.weak`), so footprints see it as `thread:T`. */
export function queueOf(s: State, tid: string): readonly WeakEntry[] {
  return s.threads.find((t) => t.name === tid)?.weak ?? [];
}

function setQueue(c: WeakCtx, q: WeakEntry[]): void {
  // Leading smp_wmb()s order nothing any more: dropping them keeps equal states equal.
  let i = 0;
  while (i < q.length && q[i].k === 'wmb') i++;
  const rest = i ? q.slice(i) : q;
  const t = c.d.thread(c.tid);
  // Absent, not undefined, when empty: a state key must not tell the two apart.
  if (rest.length) t.weak = rest;
  else t.weak = undefined;
}

function queue(c: WeakCtx): WeakEntry[] {
  return [...queueOf(c.d.s, c.tid)];
}

export function pushStore(c: WeakCtx, loc: string, v: bigint): void {
  setQueue(c, [...queue(c), { k: 'st', loc, v }]);
}

export function pushAdd(c: WeakCtx, loc: string, v: bigint): void {
  setQueue(c, [...queue(c), { k: 'add', loc, v }]);
}

export function pushLoad(c: WeakCtx, loc: string, depth: number, local: string, type: CType): void {
  const q = queue(c).filter((e) => !(e.k === 'ld' && e.depth === depth && e.local === local));
  setQueue(c, [...q, { k: 'ld', loc, depth, local, type }]);
}

export function wmb(c: WeakCtx): void {
  const q = queue(c);
  if (q.some((e) => e.k === 'st' || e.k === 'add') && q.at(-1)?.k !== 'wmb') setQueue(c, [...q, { k: 'wmb' }]);
}

function lastIndex(q: readonly WeakEntry[], p: (e: WeakEntry) => boolean): number {
  for (let i = q.length - 1; i >= 0; i--) if (p(q[i])) return i;
  return -1;
}

/** The value a load at queue position `at` (or after the whole queue) reads now: forwarded from the
 *  youngest earlier store to its location, else memory. Undefined while an earlier `add` to it waits. */
function valueAt(c: WeakCtx, q: readonly WeakEntry[], loc: string, at: number): bigint | undefined {
  for (let i = at - 1; i >= 0; i--) {
    const e = q[i];
    if ((e.k === 'st' || e.k === 'add') && e.loc === loc) return e.k === 'st' ? e.v : undefined;
  }
  return memoryRead(c, loc);
}

/** Performs the delayed load at position i (its earlier loads of the same location first). */
function resolveAt(c: WeakCtx, i: number): void {
  const q = queue(c);
  const e = q[i];
  if (e?.k !== 'ld') return;
  const earlier = q.findIndex((x, j) => j < i && x.k === 'ld' && x.loc === e.loc);
  if (earlier >= 0) { resolveAt(c, earlier); resolveAt(c, queue(c).indexOf(e)); return; }
  const v = valueAt(c, q, e.loc, i);
  if (v === undefined) {
    // An earlier unordered RMW on the location: it reaches memory first (program order).
    flushThrough(c, lastIndex(q.slice(0, i), (x) => x.k === 'add' && x.loc === e.loc));
    resolveAt(c, queue(c).indexOf(e));
    return;
  }
  const t = c.d.thread(c.tid);
  const f = t.frames[e.depth];
  // A copy: only the top frame is the draft's own, and a delayed load may belong to a caller's.
  if (f) t.frames[e.depth] = { ...f, locals: { ...f.locals, [e.local]: convert(v, e.type) } };
  setQueue(c, q.filter((_, j) => j !== i));
}

/** Flushes the store or RMW at position i: earlier loads of its location are performed first. */
function flushAt(c: WeakCtx, i: number): void {
  let q = queue(c);
  const e = q[i];
  if (!e || (e.k !== 'st' && e.k !== 'add')) return;
  const ld = q.findIndex((x, j) => j < i && x.k === 'ld' && x.loc === e.loc);
  if (ld >= 0) { resolveAt(c, ld); q = queue(c); return flushAt(c, q.indexOf(e)); }
  memoryWrite(c, e.loc, e.k === 'st' ? e.v : memoryRead(c, e.loc) + e.v);
  setQueue(c, q.filter((_, j) => j !== i));
}

/** Flushes every store and performs every load up to position `last`, in program order. */
function flushThrough(c: WeakCtx, last: number): void {
  for (const e of queue(c).slice(0, last + 1)) {
    const i = queue(c).indexOf(e);
    if (i < 0 || e.k === 'wmb') continue; // already performed while an earlier entry was
    if (e.k === 'ld') resolveAt(c, i);
    else flushAt(c, i);
  }
}

/** A load performed now by the thread's code (not delayed): earlier loads of the location first. */
export function loadNow(c: WeakCtx, loc: string): bigint {
  let q = queue(c);
  for (let i = q.findIndex((e) => e.k === 'ld' && e.loc === loc); i >= 0; i = q.findIndex((e) => e.k === 'ld' && e.loc === loc)) {
    resolveAt(c, i);
    q = queue(c);
  }
  const v = valueAt(c, q, loc, q.length);
  if (v !== undefined) return v;
  flushThrough(c, lastIndex(q, (e) => e.k === 'add' && e.loc === loc));
  return loadNow(c, loc);
}

/** smp_rmb(): every delayed load is performed now. */
export function rmb(c: WeakCtx): void {
  for (let q = queue(c), i = q.findIndex((e) => e.k === 'ld'); i >= 0; q = queue(c), i = q.findIndex((e) => e.k === 'ld')) resolveAt(c, i);
}

/** smp_mb() (and releases, sleeps, ordered atomics): everything queued completes now. */
export function mb(c: WeakCtx): void {
  flushThrough(c, queue(c).length - 1);
}

/** A local is assigned or its frame is gone: its delayed load no longer matters. */
export function dropLoads(c: WeakCtx, keep: (e: Extract<WeakEntry, { k: 'ld' }>) => boolean): void {
  const q = queueOf(c.d.s, c.tid);
  if (!q.some((e) => e.k === 'ld' && !keep(e))) return;
  setQueue(c, q.filter((e) => e.k !== 'ld' || keep(e)));
}

/** Whether the local `name` of the frame at `depth` waits for a delayed load. */
export function pendingLocal(s: State, tid: string, depth: number, name: string): number {
  return queueOf(s, tid).findIndex((e) => e.k === 'ld' && e.depth === depth && e.local === name);
}

export function useLocal(c: WeakCtx, depth: number, name: string): void {
  const i = pendingLocal(c.d.s, c.tid, depth, name);
  if (i >= 0) resolveAt(c, i);
}

/** What the memory actor of `tid` may do now: flush an entry or perform a delayed load. */
export function actorMoves(s: State, tid: string): number[] {
  const q = queueOf(s, tid);
  const out: number[] = [];
  let fenced = false;
  q.forEach((e, i) => {
    if (e.k === 'wmb') { fenced = true; return; }
    const before = q.slice(0, i);
    if (e.k === 'ld') {
      if (!before.some((x) => (x.k === 'ld' || x.k === 'add') && x.loc === e.loc)) out.push(i);
      return;
    }
    if (!fenced && !before.some((x) => (x.k === 'st' || x.k === 'add') && x.loc === e.loc)) out.push(i);
  });
  return out;
}

/** One step of the memory actor: move `choice` of `actorMoves`. Returns a description. */
export function actorStep(c: WeakCtx, choice: number): string {
  const moves = actorMoves(c.d.s, c.tid);
  const i = moves[Math.min(choice, moves.length - 1)];
  const e = queueOf(c.d.s, c.tid)[i];
  if (!e || e.k === 'wmb') return '';
  if (e.k === 'ld') {
    resolveAt(c, i);
    return `${c.tid}'s load of ${e.loc} into ${e.local} is performed`;
  }
  flushAt(c, i);
  return `${c.tid}'s ${e.k === 'st' ? `store ${e.v}` : `add ${e.v}`} to ${e.loc} reaches memory`;
}

/** How a primitive orders the thread's queued accesses (see the header). */
export type Ordering = 'mb' | 'rmb' | 'wmb' | 'release' | 'full';

const ORDERING: ReadonlyMap<string, Ordering> = new Map<string, Ordering>([
  ...['smp_mb', 'mb', 'smp_mb__before_atomic_dec', 'smp_mb__after_atomic_dec', 'smp_mb__before_atomic_inc',
    'smp_mb__after_atomic_inc', 'smp_mb__before_clear_bit', 'smp_mb__after_clear_bit'].map((n) => [n, 'mb'] as const),
  ...['smp_rmb', 'rmb'].map((n) => [n, 'rmb'] as const),
  ...['smp_wmb', 'wmb'].map((n) => [n, 'wmb'] as const),
  ...['spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'read_unlock', 'read_unlock_irq', 'write_unlock',
    'write_unlock_irq', 'write_unlock_irqrestore', 'up', 'up_read', 'up_write', 'mutex_unlock', 'unlock_page',
    'smp_store_release'].map((n) => [n, 'release'] as const),
  // Value-returning atomics and bit operations are fully ordered (atomic_ops.txt, memory-barriers.txt).
  ...['atomic_inc_return', 'atomic_dec_return', 'atomic_add_return', 'atomic_sub_return', 'atomic_dec_and_test',
    'atomic_inc_and_test', 'atomic_sub_and_test', 'xchg', 'cmpxchg', 'test_and_set_bit', 'test_and_clear_bit',
    'TestSetPageLocked', 'trylock_page'].map((n) => [n, 'full'] as const),
]);

export function orderingOf(name: string): Ordering | undefined {
  return ORDERING.get(name);
}

/** Applies what a primitive's ordering asks before it runs (a `full` one also after: `after`). */
export function order(c: WeakCtx, o: Ordering | undefined, after = false): void {
  if (o === undefined) return;
  if (after) { if (o === 'full') mb(c); return; }
  if (o === 'rmb') rmb(c);
  else if (o === 'wmb') wmb(c);
  else mb(c);
}
