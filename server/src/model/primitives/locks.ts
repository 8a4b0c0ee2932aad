/**
 * Locks, atomics and the small kernel helpers: spinlocks (a spinning thread is blocked until the
 * lock is free; taking one you already hold is a self-deadlock), sleeping semaphores and
 * rw-semaphores, atomic_t on model fields, scheduling points, allocation, printk and assertions.
 * A lock is named by the address it lives at (`mm:1.page_table_lock`).
 */
import { idText } from '../footprint';
import { isRef, mkRef, refKey, truthy, type Ref, type Value } from '../values';
import { argId, bool, type PrimCtx, type Primitive } from './primitive';
import { pteSlot } from './ptes';

function lockKey(v: Value | undefined): string | undefined {
  return isRef(v) ? refKey(v) : undefined;
}

function acquire(ctx: PrimCtx, v: Value | undefined, spin: boolean): Value | { block: { on: 'lock'; key: string; spin: boolean } } {
  const key = lockKey(v);
  if (!key) return 0n;
  ctx.read(idText('lock', key));
  const l = ctx.d.s.locks[key];
  if (l && (l.holder !== undefined || (l.readers && l.readers.length))) return { block: { on: 'lock', key, spin } };
  ctx.d.setLock(key, { holder: ctx.tid });
  if (spin) ctx.d.thread(ctx.tid).spins.push(key);
  return 0n;
}

function release(ctx: PrimCtx, v: Value | undefined, spin: boolean): Value {
  const key = lockKey(v);
  if (!key) return 0n;
  const l = ctx.d.s.locks[key];
  if (!l || l.holder !== ctx.tid) ctx.note(`${ctx.tid} releases ${key}, which it does not hold`);
  ctx.d.setLock(key, undefined);
  if (spin) { const t = ctx.d.thread(ctx.tid); t.spins = t.spins.filter((k) => k !== key); }
  return 0n;
}

function tryAcquire(ctx: PrimCtx, v: Value | undefined, spin: boolean): boolean {
  const key = lockKey(v);
  if (!key) return false;
  const l = ctx.d.s.locks[key];
  if (l && (l.holder !== undefined || (l.readers && l.readers.length))) return false;
  ctx.d.setLock(key, { holder: ctx.tid });
  if (spin) ctx.d.thread(ctx.tid).spins.push(key);
  return true;
}

/** An unordered atomic add (atomic_inc and kin return nothing): one RMW the weak mode may queue. */
function atomicAdd(name: string, doc: string, sign: bigint, argAt: number): Primitive {
  return {
    name, doc, sleeps: false,
    run(ctx, a) {
      const at = atomicAt(a[argAt]);
      if (at) ctx.atomicAdd(at.obj, at.field, sign * (argAt === 0 ? 1n : typeof a[0] === 'bigint' ? a[0] : 0n));
      return 0n;
    },
  };
}

/** The object and field an atomic_t pointer designates. */
function atomicAt(v: Value | undefined): { obj: Ref; field: string } | undefined {
  if (!isRef(v)) return undefined;
  return v.field ? { obj: { ref: v.ref, id: v.id }, field: v.field } : { obj: v, field: 'counter' };
}

function atomicOp(name: string, doc: string, f: (old: bigint, arg: bigint) => { store?: bigint; ret: bigint }, argAt = -1): Primitive {
  return {
    name, doc, sleeps: false,
    loads: name === 'atomic_read' ? (a) => { const at = atomicAt(a[0]); return at && { r: at.obj, field: at.field }; } : undefined,
    run(ctx, a) {
      const at = atomicAt(argAt === 0 ? a[1] : a[0]);
      if (!at) return 0n;
      const old = ctx.getField(at.obj, at.field);
      const arg = argAt === 0 ? a[0] : a[1];
      const r = f(typeof old === 'bigint' ? old : 0n, typeof arg === 'bigint' ? arg : 0n);
      if (r.store !== undefined) ctx.setField(at.obj, at.field, r.store);
      return r.ret;
    },
  };
}

const spinNames = ['spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'read_lock', 'read_lock_irq', 'write_lock', 'write_lock_irq', 'write_lock_irqsave'];
const unspinNames = ['spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'read_unlock', 'read_unlock_irq', 'write_unlock', 'write_unlock_irq', 'write_unlock_irqrestore'];

/**
 * The pte lock of mm `mm`. The model runs with split pte locks off (as the kernel does below four
 * CPUs), where the lock pte_offset_map_lock takes is the mm's page_table_lock.
 */
const pteLock = (mm: number | string): Ref => mkRef('mm', mm, 'page_table_lock');

export const lockPrimitives: Primitive[] = [
  {
    name: 'pte_offset_map_lock', doc: 'pte_offset_map(pmd, address) with the pte lock (page_table_lock) taken; the spinlock_t ** is not written.', sleeps: false,
    run(ctx, a) {
      const mm = argId(a[0], 'mm');
      if (mm === undefined) return 0n;
      const got = acquire(ctx, pteLock(mm), true);
      return got === 0n ? pteSlot(ctx, mm, typeof a[2] === 'bigint' ? a[2] : 0n) : got;
    },
  },
  {
    name: 'pte_unmap_unlock', doc: 'pte_unmap, then drops the pte lock (page_table_lock) of the pte\'s mm.', sleeps: false,
    run(ctx, a) {
      const pte = a[0];
      if (!isRef(pte) || pte.ref !== 'pte') return 0n;
      return release(ctx, pteLock(pte.id.split(':')[0]!), true);
    },
  },
  ...spinNames.map((name): Primitive => ({ name, doc: 'Takes a spinlock, spinning (blocked) while it is held.', sleeps: false, run: (ctx, a) => acquire(ctx, a[0], true) })),
  ...unspinNames.map((name): Primitive => ({ name, doc: 'Releases a spinlock.', sleeps: false, run: (ctx, a) => release(ctx, a[0], true) })),
  { name: 'spin_trylock', doc: 'Takes a free spinlock; 1 on success.', sleeps: false, run: (ctx, a) => bool(tryAcquire(ctx, a[0], true)) },
  ...['down', 'down_write', 'mutex_lock'].map((name): Primitive => ({ name, doc: 'Takes a sleeping lock exclusively.', sleeps: true, run: (ctx, a) => acquire(ctx, a[0], false) })),
  ...['up', 'up_write', 'mutex_unlock'].map((name): Primitive => ({ name, doc: 'Releases a sleeping lock.', sleeps: false, run: (ctx, a) => release(ctx, a[0], false) })),
  { name: 'down_trylock', doc: 'Takes a free semaphore; 0 on success (the kernel\'s inverted sense).', sleeps: false, run: (ctx, a) => bool(!tryAcquire(ctx, a[0], false)) },
  {
    name: 'down_read', doc: 'Takes a rw-semaphore shared, sleeping while a writer holds it.', sleeps: true,
    run(ctx, a) {
      const key = lockKey(a[0]);
      if (!key) return 0n;
      const l = ctx.d.s.locks[key];
      if (l?.holder !== undefined) return { block: { on: 'read-lock', key } };
      ctx.d.setLock(key, { readers: [...(l?.readers ?? []), ctx.tid].sort() });
      return 0n;
    },
  },
  {
    name: 'up_read', doc: 'Releases a shared hold of a rw-semaphore.', sleeps: false,
    run(ctx, a) {
      const key = lockKey(a[0]);
      if (!key) return 0n;
      const readers = [...(ctx.d.s.locks[key]?.readers ?? [])];
      const i = readers.indexOf(ctx.tid);
      if (i < 0) ctx.note(`${ctx.tid} up_read of ${key} it does not hold`);
      else readers.splice(i, 1);
      ctx.d.setLock(key, { readers });
      return 0n;
    },
  },
  atomicOp('atomic_read', 'Reads an atomic_t.', (old) => ({ ret: old })),
  atomicOp('atomic_set', 'Sets an atomic_t.', (_o, v) => ({ store: v, ret: 0n })),
  atomicAdd('atomic_inc', 'Increments an atomic_t.', 1n, 0),
  atomicAdd('atomic_dec', 'Decrements an atomic_t.', -1n, 0),
  atomicAdd('atomic_add', 'atomic_add(i, v).', 1n, 1),
  atomicAdd('atomic_sub', 'atomic_sub(i, v).', -1n, 1),
  atomicOp('atomic_dec_and_test', 'Decrements; true when it reached 0.', (old) => ({ store: old - 1n, ret: bool(old - 1n === 0n) })),
  atomicOp('atomic_inc_return', 'Increments and returns the new value.', (old) => ({ store: old + 1n, ret: old + 1n })),
  ...['cond_resched', 'schedule', 'yield', 'might_sleep'].map((name): Primitive => ({ name, doc: 'A scheduling point.', sleeps: true, run: () => 0n })),
  {
    name: 'kmalloc', doc: 'A fresh thread-local object.', sleeps: true,
    // Named by the first number the thread's objects do not use: thread-local, so the name
    // depends on nothing another thread does (kfree keeps the object: a leak is harmless here).
    run(ctx) {
      const t = ctx.d.thread(ctx.tid);
      let n = 1;
      while (`${ctx.tid}#k${n}` in t.structs) n++;
      const id = `${ctx.tid}#k${n}`;
      t.structs[id] = {};
      return mkRef('struct', id);
    },
  },
  { name: 'kfree', doc: 'Frees memory (nothing to do in the model).', sleeps: false, pure: true, run: () => 0n },
  { name: 'printk', doc: 'Prints (nothing to do in the model).', sleeps: false, pure: true, run: () => 0n },
  ...['likely', 'unlikely'].map((name): Primitive => ({ name, doc: 'A branch hint: its argument.', sleeps: false, pure: true, run: (_c, a) => a[0] ?? 0n })),
  {
    name: 'BUG_ON', doc: 'A violated assertion when its condition is true.', sleeps: false, pure: true,
    run(ctx, a) { if (a[0] !== undefined && truthy(a[0])) ctx.violation('bug-on', `BUG_ON() condition is true in ${ctx.tid}`); return 0n; },
  },
  { name: 'BUG', doc: 'A violated assertion.', sleeps: false, pure: true, run(ctx) { ctx.violation('bug-on', `BUG() reached in ${ctx.tid}`); return 0n; } },
  {
    name: 'WARN_ON', doc: 'Notes a warning when its condition is true; returns the condition.', sleeps: false, pure: true,
    run(ctx, a) { const c = a[0] ?? 0n; if (truthy(c)) ctx.note(`WARN_ON() condition is true in ${ctx.tid}`); return bool(truthy(c)); },
  },
];
