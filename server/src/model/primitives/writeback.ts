/**
 * Writeback and I/O primitives: writing dirty pages back, O_DIRECT (`->direct_IO`, which puts new
 * data versions straight on the disk and for an async kiocb leaves its completion to a "bio"
 * pseudo-thread), `->readpage` (an "io" pseudo-thread owns the page lock until the read completes:
 * it takes the disk's data in one step and makes the page uptodate and unlocks it in a later one,
 * so a write can land on the disk between the two; the reader sleeps in the meantime), and i_size.
 * Limits: writeback runs in one step (no PG_writeback window); an iovec has one segment.
 */
import { idText } from '../footprint';
import { isRef, mkRef, type Value } from '../values';
import { settleOrigin } from './pages';
import type { Task } from '../state';
import { EIOCBQUEUED } from '../../lower/kernel-constants';
import { argId, argPage, type PrimCtx, type PrimResult, type Primitive } from './primitive';

function int(v: Value | undefined): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

/** Writes every dirty page of the mapping to disk (waits for pages another thread has locked). */
export function writeback(ctx: PrimCtx, mid: number, withBuffers: boolean): PrimResult {
  ctx.read(idText('mapping', mid));
  const m = ctx.d.s.mappings[mid];
  const ids = Object.keys(m.pages).map(Number).sort((a, b) => a - b).map((i) => m.pages[i]);
  const dirty = ids.filter((id) => { const p = ctx.d.s.pages[id]; return p.dirty || (withBuffers && p.buffers === 'dirty'); });
  for (const id of dirty) {
    const p = ctx.d.s.pages[id];
    if (p.locked !== null && p.locked !== ctx.tid) return { block: { on: 'page-unlocked', page: id } };
  }
  for (const id of dirty) {
    const p = ctx.d.page(id);
    ctx.d.setDisk(p.index, p.data);
    p.dirty = false;
    if (p.buffers === 'dirty') p.buffers = 'clean';
    settleOrigin(p);
  }
  return 0n;
}

function iovLength(ctx: PrimCtx, iov: Value | undefined, segs: bigint): bigint {
  if (!isRef(iov)) return 0n;
  const len = int(ctx.getField(iov, 'iov_len'));
  return segs > 0n ? len : 0n;
}

/** O_DIRECT: for a write, each page of [offset, offset+len) gets a new version on disk. */
function directIO(ctx: PrimCtx, rw: bigint, iocbArg: Value | undefined, len: bigint, offset: bigint): PrimResult {
  const errors = ctx.options.directIOErrors ?? [];
  const pick = errors.length ? ctx.choose(errors.length + 1) : 0;
  if (pick > 0) return errors[pick - 1];
  const cid = argId(iocbArg, 'iocb');
  const iocb = cid === undefined ? undefined : ctx.d.s.iocbs[cid];
  if (rw === 1n && len > 0n) {
    for (let i = offset >> 12n; i <= (offset + len - 1n) >> 12n; i++) {
      const v = ctx.d.newVersion();
      ctx.d.setDisk(Number(i), v);
      ctx.d.ghost().writes.push({ index: Number(i), version: v, by: ctx.tid, kind: 'dio', iocb: cid, done: false });
    }
  }
  if (iocb && !iocb.sync) {
    ctx.d.iocb(iocb.id).queued = true;
    ctx.spawn('bio', { kind: 'aio-complete', iocb: iocb.id, res: len });
    return -EIOCBQUEUED;
  }
  return len;
}

export const writebackPrimitives: Primitive[] = [
  {
    name: 'writepage', doc: '->writepage(page, wbc) of a locked page: PG_writeback, unlock, buffers clean; the disk gets the data when the I/O completes.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      p.writeback = true;
      p.locked = null;
      if (p.buffers === 'dirty') p.buffers = 'clean';
      settleOrigin(p);
      ctx.spawn('wb', { kind: 'writeback-io', page: p.id, version: p.data });
      return 0n;
    },
  },
  {
    name: 'nfs_wb_page', doc: 'nfs_wb_page(inode, page) of a locked page: a dirty page is written to the server and waited for; the page stays locked. Returns 0.', sleeps: true,
    run(ctx, a) {
      const p = argPage(ctx, a[1]);
      if (!p) return 0n;
      if (p.locked !== ctx.tid) ctx.note(`nfs_wb_page of page ${p.index} not locked by ${ctx.tid}`);
      if (!p.dirty) return 0n;
      ctx.d.setDisk(p.index, p.data);
      p.dirty = false;
      settleOrigin(p);
      return 0n;
    },
  },
  {
    name: 'set_page_writeback', doc: 'Sets PG_writeback.', sleeps: false,
    run(ctx, a) { const p = argPage(ctx, a[0]); if (p) p.writeback = true; return 0n; },
  },
  {
    name: 'end_page_writeback', doc: 'Clears PG_writeback.', sleeps: false,
    run(ctx, a) { const p = argPage(ctx, a[0]); if (p) p.writeback = false; return 0n; },
  },
  {
    name: 'do_invalidatepage', doc: 'Truncate\'s ->invalidatepage: drops the buffers whatever their state.', sleeps: false,
    run(ctx, a) { const p = argPage(ctx, a[0]); if (p) { p.buffers = 'none'; settleOrigin(p); } return 0n; },
  },
  {
    name: 'wait_on_sync_kiocb', doc: 'Sleeps until a queued sync iocb is completed; returns its result.', sleeps: true,
    run(ctx, a) {
      const id = argId(a[0], 'iocb');
      if (id === undefined) return 0n;
      const c = ctx.d.s.iocbs[id];
      if (c.completions === 0) return { block: { on: 'iocb', iocb: id } };
      return c.result ?? 0n;
    },
  },
  ...['filemap_fdatawrite', 'filemap_flush'].map((name): Primitive => ({
    name, doc: 'Writes the mapping\'s dirty pages to disk; returns 0.', sleeps: true,
    run(ctx, a) { const mid = argId(a[0], 'mapping'); return mid === undefined ? 0n : writeback(ctx, mid, false); },
  })),
  {
    name: 'filemap_fdatawait', doc: 'Waits for writeback of the mapping to finish; returns 0.', sleeps: true,
    run(ctx, a) {
      const mid = argId(a[0], 'mapping');
      if (mid === undefined) return 0n;
      for (const id of Object.values(ctx.d.s.mappings[mid].pages)) {
        if (ctx.d.s.pages[id].writeback) return { block: { on: 'writeback', page: id } };
      }
      return 0n;
    },
  },
  {
    name: 'filemap_write_and_wait', doc: 'filemap_fdatawrite then filemap_fdatawait; returns 0.', sleeps: true,
    run(ctx, a) { const mid = argId(a[0], 'mapping'); return mid === undefined ? 0n : writeback(ctx, mid, false); },
  },
  {
    name: 'direct_IO', doc: '->direct_IO(rw, iocb, iov, offset, nr_segs): bytes done, -EIOCBQUEUED when queued, or a chosen error.', sleeps: true,
    run: (ctx, a) => directIO(ctx, int(a[0]), a[1], iovLength(ctx, a[2], int(a[4])), int(a[3])),
  },
  {
    name: 'blockdev_direct_IO', doc: 'blockdev_direct_IO(rw, iocb, inode, bdev, iov, offset, nr_segs, ...): as ->direct_IO.', sleeps: true,
    run: (ctx, a) => directIO(ctx, int(a[0]), a[1], iovLength(ctx, a[4], int(a[6])), int(a[5])),
  },
  {
    name: 'readpage', doc: '->readpage(file, page): starts the read of a locked page; its completion makes it uptodate and unlocks it.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[1]);
      if (!p) return 0n;
      if (p.locked !== ctx.tid) ctx.note(`readpage of page ${p.index} not locked by ${ctx.tid}`);
      p.reading = true;
      const io = ctx.spawn('io', { kind: 'read-io', page: p.id });
      // The lock now belongs to the I/O: its completion unlocks the page, and the caller that
      // started it waits in wait_on_page_locked/lock_page like any other thread.
      if (p.locked === ctx.tid) p.locked = io;
      return 0n;
    },
  },
  {
    name: 'i_size_read', doc: 'The inode\'s size.', sleeps: false,
    loads(a) { const id = argId(a[0], 'inode'); return id === undefined ? undefined : { r: mkRef('inode', id), field: 'i_size' }; },
    run(ctx, a) {
      const id = argId(a[0], 'inode');
      if (id === undefined || !ctx.d.s.inodes[id]) return 0n;
      return ctx.getField(mkRef('inode', id), 'i_size');
    },
  },
  {
    name: 'i_size_write', doc: 'Sets the inode\'s size.', sleeps: false,
    run(ctx, a) {
      const id = argId(a[0], 'inode');
      if (id !== undefined && ctx.d.s.inodes[id]) ctx.setField(mkRef('inode', id), 'i_size', int(a[1]));
      return 0n;
    },
  },
  {
    name: 'iov_length', doc: 'Total length of an iovec array (one segment modelled).', sleeps: false, pure: true,
    run: (ctx, a) => iovLength(ctx, a[0], int(a[1])),
  },
];

/**
 * One step of a read started by ->readpage. First the bio takes the disk's data (at any point
 * after the start: a write that lands later is not in it); then the read completes: the page gets
 * that data and PG_uptodate, and is unlocked; in the I/O-error flavour it fails instead: PG_error
 * is set and the page is unlocked not uptodate. Returns the task still to run, or undefined when done.
 */
export function readIo(ctx: PrimCtx, task: Extract<Task, { kind: 'read-io' }>): Task | undefined {
  if (task.data === undefined) {
    const index = ctx.d.s.pages[task.page].index;
    // Spelled out, in the order a spread gives (kind, page, data): the spread took the runtime's slow path.
    return { kind: task.kind, page: task.page, data: ctx.d.s.disk[index] ?? 0 };
  }
  const p = ctx.d.page(task.page);
  p.reading = false;
  p.locked = null;
  if (ctx.options.readErrors) {
    // end_buffer_async_read / mpage_end_io_read on an error: PG_error, PG_uptodate stays clear.
    p.error = true;
    return undefined;
  }
  p.data = task.data;
  p.uptodate = true;
  return undefined;
}

/** Completes a writeback started by ->writepage: the disk gets the data version written, PG_writeback clears. */
export function completeWriteback(ctx: PrimCtx, pageId: number, version: number): void {
  const p = ctx.d.page(pageId);
  ctx.d.setDisk(p.index, version);
  p.writeback = false;
}
