/**
 * AIO primitives: aio_complete counts completions of an iocb (a second one is the use-after-free of
 * seed 002) and marks its O_DIRECT writes done when the result is a success; is_sync_kiocb.
 */
import { reportFailure } from '../invariants';
import { EIOCBQUEUED } from '../../lower/kernel-constants';
import { argId, bool, type Primitive } from './primitive';

export const aioPrimitives: Primitive[] = [
  {
    name: 'aio_complete', doc: 'Completes an iocb with res; a second completion violates aio-complete-once.', sleeps: false,
    run(ctx, a) {
      const id = argId(a[0], 'iocb');
      if (id === undefined) return 0n;
      const c = ctx.d.iocb(id);
      c.completions++;
      const res = typeof a[1] === 'bigint' ? a[1] : 0n;
      if (c.completions === 1) c.result = res;
      else ctx.violation('aio-complete-once', `iocb ${id} completed ${c.completions} times (last by ${ctx.tid} with ${res})`);
      if (res < 0n && res !== -EIOCBQUEUED) reportFailure(ctx, () => true);
      if (res >= 0n && c.completions === 1) {
        const g = ctx.d.ghost();
        g.writes = g.writes.map((w) => (w.kind === 'dio' && w.iocb === id ? { ...w, done: true } : w));
      }
      return 1n;
    },
  },
  {
    name: 'is_sync_kiocb', doc: 'True for a synchronous kiocb.', sleeps: false, pure: true,
    run(ctx, a) { const id = argId(a[0], 'iocb'); return bool(id === undefined || ctx.d.s.iocbs[id].sync); },
  },
];
