/**
 * Page-cache primitives: lookup, insertion and removal, and pagevecs (a thread-local struct with
 * `pages` and `nr`; a lookup takes a reference on every page it returns). The truncate helpers are
 * fallbacks for libraries that do not write them in C; as primitives they run in one step.
 */
import { idText } from '../footprint';
import type { Page } from '../state';
import { isList, isRef, mkRef, type Value } from '../values';
import { hold, requirePageLock, settleOrigin } from './pages';
import { argId, argPage, type PrimCtx, type Primitive } from './primitive';

const EEXIST = 17n;

/** Takes the page out of its mapping's cache (page->mapping becomes NULL; the cache's reference stays with the caller to drop). */
export function removeFromCache(ctx: PrimCtx, p: Page): void {
  if (p.mapping === null) return;
  const m = ctx.d.mapping(p.mapping);
  if (m.pages[p.index] === p.id) delete m.pages[p.index];
  p.mapping = null;
}

/**
 * Lookups take the mapping's tree_lock in the kernel (spin_lock_irq in 2.6.10, read_lock_irq in
 * 2.6.20), so one that meets the lock held by another thread spins until it is free: that is what
 * makes invalidate_complete_page's count check and removal under tree_lock atomic against faults.
 */
function treeLockWait(ctx: PrimCtx, mappingArg: Value | undefined): { block: { on: 'lock'; key: string; spin: boolean } } | undefined {
  const mid = argId(mappingArg, 'mapping');
  if (mid === undefined) return undefined;
  const key = treeLockKey(mid);
  ctx.read(idText('lock', key));
  const l = ctx.d.s.locks[key];
  return l?.holder !== undefined && l.holder !== ctx.tid ? { block: { on: 'lock', key, spin: true } } : undefined;
}

/** The tree_lock's name (`mapping:1.tree_lock`), made once per mapping: every lookup asks for it. */
const treeLockKeys: string[] = [];
function treeLockKey(mid: number): string {
  return treeLockKeys[mid] ??= `mapping:${mid}.tree_lock`;
}

function cachedPage(ctx: PrimCtx, mappingArg: Value | undefined, index: bigint): Page | undefined {
  const mid = argId(mappingArg, 'mapping');
  if (mid === undefined) return undefined;
  ctx.read(idText('mapping', mid));
  const pid = ctx.d.s.mappings[mid]?.pages[Number(index)];
  return pid === undefined ? undefined : ctx.d.page(pid);
}

function int(v: Value | undefined): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

/** Pages of a mapping with index >= start, ascending. */
export function pagesFrom(ctx: PrimCtx, mid: number, start: bigint): number[] {
  const m = ctx.d.s.mappings[mid];
  if (!m) return [];
  return Object.keys(m.pages).map(Number).filter((i) => BigInt(i) >= start).sort((x, y) => x - y).map((i) => m.pages[i]);
}

/** truncate_complete_page's job: drop buffers, dirt and uptodate, leave the cache. */
export function truncatePage(ctx: PrimCtx, p: Page): void {
  p.buffers = 'none';
  p.dirty = false;
  settleOrigin(p);
  requirePageLock(ctx, p, 'truncation');
  p.uptodate = false;
  removeFromCache(ctx, p);
  p.count--;
}

function pvecPages(ctx: PrimCtx, v: Value | undefined): Value[] {
  if (!isRef(v)) return [];
  const pages = ctx.getField(v, 'pages');
  return isList(pages) ? pages.list.slice(0, Number(int(ctx.getField(v, 'nr')))) : [];
}

export const cachePrimitives: Primitive[] = [
  {
    name: 'find_get_page', doc: 'Looks a page up in the cache and takes a reference, or returns NULL.', sleeps: false,
    run(ctx, a) {
      const busy = treeLockWait(ctx, a[0]);
      if (busy) return busy;
      const p = cachedPage(ctx, a[0], int(a[1]));
      if (!p) return 0n;
      p.count++;
      hold(p, ctx.tid, 1);
      return mkRef('page', p.id);
    },
  },
  {
    name: 'find_lock_page', doc: 'find_get_page, then lock_page (sleeps while locked).', sleeps: true,
    run(ctx, a) {
      const busy = treeLockWait(ctx, a[0]);
      if (busy) return busy;
      const p = cachedPage(ctx, a[0], int(a[1]));
      if (!p) return 0n;
      if (p.locked !== null) return { block: { on: 'page-lock', page: p.id } };
      p.locked = ctx.tid;
      p.count++;
      hold(p, ctx.tid, 1);
      return mkRef('page', p.id);
    },
  },
  ...['page_cache_alloc', 'page_cache_alloc_cold', 'alloc_page'].map((name): Primitive => ({
    name, doc: 'A new page outside any cache, count 1, holding garbage.', sleeps: false,
    run(ctx) {
      const id = ctx.d.newId();
      ctx.d.addPage({
        id, index: -1, mapping: null, locked: null, uptodate: false, dirty: false, writeback: false, ptes: [],
        count: 1, buffers: 'none', data: -1, pins: 0, dirtOrigin: null, reading: false, holders: { [ctx.tid]: 1 },
      });
      return mkRef('page', id);
    },
  })),
  ...['add_to_page_cache', 'add_to_page_cache_lru'].map((name): Primitive => ({
    name, doc: 'Inserts a locked page at index; -EEXIST if the slot is taken.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      const mid = argId(a[1], 'mapping');
      if (!p || mid === undefined) return -EEXIST;
      const index = Number(int(a[2]));
      const m = ctx.d.mapping(mid);
      if (m.pages[index] !== undefined) return -EEXIST;
      m.pages[index] = p.id;
      p.mapping = mid;
      p.index = index;
      p.count++;
      p.locked = ctx.tid;
      if (ctx.options.fs === 'ext3' && p.buffers === 'none') p.buffers = 'clean';
      return 0n;
    },
  })),
  ...['remove_from_page_cache', '__remove_from_page_cache'].map((name): Primitive => ({
    name, doc: 'Takes the page out of the cache (under its lock); the caller drops the cache reference.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[0]);
      if (!p) return 0n;
      requirePageLock(ctx, p, name);
      if (p.mapping !== null) hold(p, ctx.tid, 1);
      removeFromCache(ctx, p);
      return 0n;
    },
  })),
  {
    name: 'pagevec_init', doc: 'Empties a pagevec.', sleeps: false, pure: true,
    run(ctx, a) {
      if (isRef(a[0])) { ctx.setField(a[0], 'nr', 0n); ctx.setField(a[0], 'pages', { list: [] }); }
      return 0n;
    },
  },
  {
    name: 'pagevec_lookup', doc: 'Fills the pagevec with up to nr cached pages from index start, taking a reference on each.', sleeps: false,
    run(ctx, a) {
      const mid = argId(a[1], 'mapping');
      if (!isRef(a[0]) || mid === undefined) return 0n;
      const busy = treeLockWait(ctx, a[1]);
      if (busy) return busy;
      ctx.read(idText('mapping', mid));
      const ids = pagesFrom(ctx, mid, int(a[2])).slice(0, Number(int(a[3])));
      for (const id of ids) { const p = ctx.d.page(id); p.count++; hold(p, ctx.tid, 1); }
      ctx.setField(a[0], 'pages', { list: ids.map((id) => mkRef('page', id)) });
      ctx.setField(a[0], 'nr', BigInt(ids.length));
      return BigInt(ids.length);
    },
  },
  {
    name: 'pagevec_count', doc: 'Number of pages in the pagevec.', sleeps: false, pure: true,
    run: (ctx, a) => (isRef(a[0]) ? int(ctx.getField(a[0], 'nr')) : 0n),
  },
  {
    name: 'pagevec_release', doc: 'Drops the reference on every page of the pagevec and empties it.', sleeps: false,
    run(ctx, a) {
      for (const v of pvecPages(ctx, a[0])) { const p = argPage(ctx, v); if (p) { p.count--; hold(p, ctx.tid, -1); } }
      if (isRef(a[0])) ctx.setField(a[0], 'nr', 0n);
      return 0n;
    },
  },
  {
    name: 'truncate_complete_page', doc: 'Drops a locked page from the cache with its buffers, dirt and PG_uptodate.', sleeps: false,
    run(ctx, a) {
      const p = argPage(ctx, a[1]);
      const mid = argId(a[0], 'mapping');
      if (p && p.mapping === mid) truncatePage(ctx, p);
      return 0n;
    },
  },
  {
    name: 'truncate_inode_pages', doc: 'Truncates every cached page from byte lstart on; waits for locked pages (one step).', sleeps: true,
    run(ctx, a) {
      const mid = argId(a[0], 'mapping');
      if (mid === undefined) return 0n;
      const start = (int(a[1]) + 4095n) >> 12n;
      const ids = pagesFrom(ctx, mid, start);
      for (const id of ids) {
        const q = ctx.d.s.pages[id];
        if (q.locked !== null && q.locked !== ctx.tid) return { block: { on: 'page-unlocked', page: id } };
        if (q.writeback) return { block: { on: 'writeback', page: id } };
      }
      for (const id of ids) {
        const p = ctx.d.page(id);
        const held = p.locked === ctx.tid;
        p.locked = ctx.tid;
        truncatePage(ctx, p);
        if (!held) p.locked = null;
      }
      return 0n;
    },
  },
];
