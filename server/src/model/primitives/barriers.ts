/**
 * Memory barriers and marked accesses. Under sequential consistency (the default) the barriers do
 * nothing and READ_ONCE/WRITE_ONCE are plain accesses; under `--memory-model weak` the interpreter
 * applies each one's ordering to the thread's queued accesses before it runs (model/weak.ts,
 * `orderingOf`), so the primitives themselves stay simple.
 */
import { isRef, mkRef, type Ref, type Value } from '../values';
import type { Primitive } from './primitive';

/** The field a pointer to a field designates (`&m->truncate_count`, a litmus `int *x`). */
function fieldAt(v: Value | undefined): { r: Ref; field: string } | undefined {
  return isRef(v) && v.field !== undefined ? { r: mkRef(v.ref, v.id), field: v.field } : undefined;
}

const barrier = (name: string, doc: string): Primitive => ({ name, doc, sleeps: false, pure: true, run: () => 0n });

export const barrierPrimitives: Primitive[] = [
  barrier('barrier', 'A compiler barrier: the model never reorders a thread\'s own steps, so nothing to do.'),
  barrier('smp_mb', 'Full barrier: under weak, earlier loads and stores complete before later ones.'),
  barrier('smp_rmb', 'Read barrier: under weak, earlier loads are performed before later loads.'),
  barrier('smp_wmb', 'Write barrier: under weak, earlier stores reach memory before later stores.'),
  {
    name: 'READ_ONCE', doc: 'A marked load of its lvalue (under weak it may be delayed like any unordered load).',
    sleeps: false, lvalue: true, loads: (a) => fieldAt(a[0]),
    run(ctx, a) { const at = fieldAt(a[0]); return at ? ctx.getField(at.r, at.field) : 0n; },
  },
  {
    name: 'WRITE_ONCE', doc: 'A marked store to its lvalue.', sleeps: false, lvalue: true,
    run(ctx, a) { const at = fieldAt(a[0]); if (at && a[1] !== undefined) ctx.setField(at.r, at.field, a[1]); return 0n; },
  },
  {
    name: 'smp_load_acquire', doc: 'A load that later accesses cannot pass (performed where it stands).', sleeps: false,
    run(ctx, a) { const at = fieldAt(a[0]); return at ? ctx.getField(at.r, at.field) : 0n; },
  },
  {
    name: 'smp_store_release', doc: 'A store that earlier accesses complete before.', sleeps: false,
    run(ctx, a) { const at = fieldAt(a[0]); if (at && a[1] !== undefined) ctx.setField(at.r, at.field, a[1]); return 0n; },
  },
];
