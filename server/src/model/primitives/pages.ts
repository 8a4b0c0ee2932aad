/**
 * Page primitives: the page lock, the flag operations (PG_uptodate, PG_dirty, PG_writeback) and
 * reference counts, with the era's sleep points. The page lock is a sleeping lock: `lock_page`
 * parks the thread until the page is unlocked, then retries.
 */
import type { Page } from '../state';
import { mkRef } from '../values';
import { argPage, bool, type PrimCtx, type Primitive } from './primitive';

/** Dirties a page as set_page_dirty does: on ext3 its buffers become dirty too. */
export function dirtyPage(ctx: PrimCtx, p: Page, origin: string): boolean {
  const was = p.dirty;
  p.dirty = true;
  if (ctx.options.fs === 'ext3' && p.buffers === 'clean') p.buffers = 'dirty';
  if (p.dirtOrigin === null) p.dirtOrigin = origin;
  return !was;
}

/** Counts a page reference taken (delta 1) or dropped (-1) by a thread. */
export function hold(p: Page, tid: string, delta: number): void {
  const n = (p.holders[tid] ?? 0) + delta;
  p.holders = { ...p.holders };
  if (n === 0) delete p.holders[tid];
  else p.holders[tid] = n;
}

/** Forgets the dirt's origin once neither the page nor its buffers are dirty. */
export function settleOrigin(p: Page): void {
  if (!p.dirty && p.buffers !== 'dirty') p.dirtOrigin = null;
}

/** flag-without-lock: PG_uptodate and cache removal change only under the page lock. */
export function requirePageLock(ctx: PrimCtx, p: Page, what: string): void {
  if (p.locked !== ctx.tid) {
    ctx.violation('flag-without-lock', `${what} on page ${p.index} by ${ctx.tid}, which does not hold its page lock`);
  }
}

/** lock-order: taking a page lock while holding one of a higher index. */
function checkOrder(ctx: PrimCtx, p: Page): void {
  const pages = ctx.d.s.pages;
  const ids = ctx.d.ids('pages');
  for (let i = 0; i < ids.length; i++) {
    const q = pages[Number(ids[i])];
    if (q.id !== p.id && q.locked === ctx.tid && q.index > p.index) {
      ctx.violation('lock-order', `${ctx.tid} locks page ${p.index} while holding the lock of page ${q.index}`);
      return;
    }
  }
}

function flagTest(name: string, doc: string, get: (p: Page) => boolean): Primitive {
  return { name, doc, sleeps: false, run: (ctx, a) => { const p = argPage(ctx, a[0]); return p ? bool(get(p)) : 0n; } };
}

export const pagePrimitives: Primitive[] = [
  {
    name: 'lock_page', doc: 'Takes PG_locked, sleeping while another holder has it.', sleeps: true,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      checkOrder(ctx, p);
      if (p.locked !== null) return { block: { on: 'page-lock', page: p.id } };
      p.locked = ctx.tid;
      return 0n;
    },
  },
  {
    name: 'TestSetPageLocked', doc: 'Sets PG_locked and returns its old value (never sleeps).', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      if (p.locked !== null) return 1n;
      checkOrder(ctx, p);
      p.locked = ctx.tid;
      return 0n;
    },
  },
  {
    name: 'trylock_page', doc: 'Takes PG_locked if free; returns 1 on success (never sleeps).', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p || p.locked !== null) return 0n;
      checkOrder(ctx, p);
      p.locked = ctx.tid;
      return 1n;
    },
  },
  {
    name: 'unlock_page', doc: 'Clears PG_locked and wakes the waiters.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      if (p.locked !== ctx.tid) ctx.note(`unlock_page of page ${p.index} not locked by ${ctx.tid}`);
      p.locked = null;
      return 0n;
    },
  },
  {
    name: 'wait_on_page_locked', doc: 'Sleeps until the page is unlocked (e.g. its read completed).', sleeps: true,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      // Whoever holds the lock, the caller included: after ->readpage the I/O holds it, and a
      // thread that waits on a lock it holds itself never wakes (as in the kernel).
      if (p && p.locked !== null) return { block: { on: 'page-unlocked', page: p.id } };
      return 0n;
    },
  },
  {
    name: 'wait_on_page_writeback', doc: 'Sleeps until PG_writeback is clear.', sleeps: true,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (p && p.writeback) return { block: { on: 'writeback', page: p.id } };
      return 0n;
    },
  },
  flagTest('PageUptodate', 'Tests PG_uptodate.', (p) => p.uptodate),
  flagTest('PageDirty', 'Tests PG_dirty.', (p) => p.dirty),
  flagTest('PageWriteback', 'Tests PG_writeback.', (p) => p.writeback),
  flagTest('PageLocked', 'Tests PG_locked.', (p) => p.locked !== null),
  flagTest('PageError', 'Tests PG_error (a read of the page failed).', (p) => p.error === true),
  {
    name: 'ClearPageError', doc: 'Clears PG_error before a read is tried again.', sleeps: false,
    run(ctx, a) { const p = argPage(ctx, a[0]); if (p?.error) p.error = undefined; return 0n; },
  },
  {
    name: 'SetPageError', doc: 'Sets PG_error (an I/O on the page failed).', sleeps: false,
    run(ctx, a) { const p = argPage(ctx, a[0]); if (p) p.error = true; return 0n; },
  },
  flagTest('PagePrivate', 'Tests PG_private (the page has buffers).', (p) => p.buffers !== 'none'),
  flagTest('page_has_buffers', 'True when buffer_heads are attached.', (p) => p.buffers !== 'none'),
  flagTest('page_mapped', 'True when some pte maps the page.', (p) => p.ptes.length > 0),
  {
    name: 'SetPageUptodate', doc: 'Sets PG_uptodate (under the page lock).', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      requirePageLock(ctx, p, 'SetPageUptodate');
      p.uptodate = true;
      return 0n;
    },
  },
  {
    name: 'ClearPageUptodate', doc: 'Clears PG_uptodate (under the page lock).', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      requirePageLock(ctx, p, 'ClearPageUptodate');
      p.uptodate = false;
      return 0n;
    },
  },
  {
    name: 'set_page_dirty', doc: 'Dirties the page; on ext3 its buffers too. Returns 1 if it was clean.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      return p ? bool(dirtyPage(ctx, p, `thread:${ctx.tid}`)) : 0n;
    },
  },
  {
    name: 'SetPageDirty', doc: 'Sets PG_dirty alone (buffers untouched).', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (p) { p.dirty = true; if (p.dirtOrigin === null) p.dirtOrigin = `thread:${ctx.tid}`; }
      return 0n;
    },
  },
  ...['test_clear_page_dirty', 'clear_page_dirty', 'ClearPageDirty', 'TestClearPageDirty', 'clear_page_dirty_for_io'].map(
    (name): Primitive => ({
      name, doc: 'Clears PG_dirty (not the buffers) and returns whether it was set.', sleeps: false,
      run(ctx, a) {
        const p = argPage(ctx, a[0]);
        if (!p) return 0n;
        const was = p.dirty;
        p.dirty = false;
        settleOrigin(p);
        return bool(was);
      },
    }),
  ),
  {
    name: 'page_count', doc: 'The page reference count.', sleeps: false,
    run: (ctx, a) => BigInt(argPage(ctx, a[0])?.count ?? 0),
  },
  {
    name: 'page_mapcount', doc: 'How many ptes map the page.', sleeps: false,
    run: (ctx, a) => BigInt(argPage(ctx, a[0])?.ptes.length ?? 0),
  },
  ...['page_cache_get', 'get_page'].map((name): Primitive => ({
    name, doc: 'Takes a reference on the page.', sleeps: false,
    run(ctx, a) { const p = argPage(ctx, a[0]); if (p) { p.count++; hold(p, ctx.tid, 1); } return 0n; },
  })),
  ...['page_cache_release', 'put_page'].map((name): Primitive => ({
    name, doc: 'Drops a reference on the page.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      if (p.count <= 0) ctx.note(`${name} of page ${p.index} whose count is already 0`);
      else { p.count--; hold(p, ctx.tid, -1); }
      return 0n;
    },
  })),
  {
    name: 'try_to_release_page', doc: 'Frees the buffers if they are clean; fails (0) under writeback or on dirty or pinned buffers.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      // The kernel refuses a page under writeback before it asks the filesystem (2.6.0-2.6.23).
      if (p.writeback) return 0n;
      if (p.buffers === 'dirty' || p.buffers === 'pinned') return 0n;
      p.buffers = 'none';
      return 1n;
    },
  },
  {
    name: 'page_address', doc: 'The kernel address of the page (the page itself here).', sleeps: false, pure: true,
    run: (_ctx, a) => a[0] ?? mkRef('page', 0),
  },
];
