/**
 * Mapping primitives: which vmas map a file, unmapping a byte range of a file from every process
 * (a dirty pte dirties its page on the way out, as zap_pte_range does), and
 * invalidate_complete_page with the seed-004 names for why it fails. The libraries write most of
 * these in C; these are the fallbacks, and `invalidateBlocker` names failures for the C version too.
 * Limits: an unmap runs as one step (it waits for, but never interleaves with, page_table_lock and
 * the i_mmap lock holders); every vma maps the file from page 0.
 */
import { idText } from '../footprint';
import type { FailureReason } from '../../findings';
import type { Page } from '../state';
import { isRef, mkRef, type Value } from '../values';
import { removeFromCache } from './cache';
import { dirtyPage } from './pages';
import { argId, argPage, bool, type PrimCtx, type PrimResult, type Primitive } from './primitive';
import { eraTraits } from '../library/index';

const MAX = (1n << 64n) - 1n;

function int(v: unknown): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

/** Page-index range [first, last] of a byte hole; a length that rounds to 0 pages means "to the end". */
export function holePages(begin: bigint, len: bigint): [bigint, bigint] {
  const first = BigInt.asUintN(64, begin) >> 12n;
  const n = BigInt.asUintN(64, len + 4095n) >> 12n;
  let last = BigInt.asUintN(64, first + n - 1n);
  if (last < first) last = MAX;
  return [first, last];
}

/** The vmas on the list `&mapping->i_mmap` (2.6) or `&mapping->i_mmap_shared` (2.5, where shared mappings live). */
function vmasOn(ctx: PrimCtx, head: Value | undefined): number[] {
  if (!isRef(head) || head.ref !== 'mapping') return [];
  ctx.read(idText('mapping', head.id));
  return head.field === eraTraits(ctx.options.era ?? '').sharedVmaList ? ctx.d.s.mappings[Number(head.id)].vmas : [];
}

/** A lock another thread holds among those an unmap needs, or undefined. */
function busyLock(ctx: PrimCtx, mid: number): string | undefined {
  const m = ctx.d.s.mappings[mid];
  const keys = [`mapping:${mid}.i_mmap_lock`, `mapping:${mid}.i_shared_sem`];
  for (const v of m.vmas) keys.push(`mm:${ctx.d.s.vmas[v].mm}.page_table_lock`);
  return keys.find((k) => { const l = ctx.d.s.locks[k]; return l !== undefined && l.holder !== undefined && l.holder !== ctx.tid; });
}

/** Removes one pte: its dirty bit dirties the page, the page loses the pte's reference. */
export function zapPte(ctx: PrimCtx, mmId: number, index: number): void {
  const mm = ctx.d.mm(mmId);
  const pte = mm.ptes[index];
  if (!pte) return;
  delete mm.ptes[index];
  const p = ctx.d.page(pte.page);
  if (pte.dirty) dirtyPage(ctx, p, `zap:${ctx.tid}`);
  p.ptes = p.ptes.filter((k) => k !== `${mmId}:${index}`);
  p.count--;
}

/** Zaps every pte of the mapping in [first, last]; `bump` counts the unmap in truncate_count. */
function unmapRange(ctx: PrimCtx, mid: number, first: bigint, last: bigint, bump: boolean): PrimResult {
  const busy = busyLock(ctx, mid);
  if (busy) return { block: { on: 'lock', key: busy, spin: false } };
  ctx.read(idText('mapping', mid));
  const m = ctx.d.s.mappings[mid];
  if (bump) ctx.d.mapping(mid).truncateCount++;
  for (const v of m.vmas) {
    const mmId = ctx.d.s.vmas[v].mm;
    ctx.read(idText('mm', mmId));
    for (const k of Object.keys(ctx.d.s.mms[mmId].ptes).map(Number)) {
      if (BigInt(k) >= first && BigInt(k) <= last) zapPte(ctx, mmId, k);
    }
  }
  return 0n;
}

function bumps(ctx: PrimCtx): boolean {
  return eraTraits(ctx.options.era ?? '').unmapBumpsTruncateCount;
}

/**
 * Why an invalidation cannot drop this page, in the kernel's order of checks, or undefined:
 * held locked by another thread, buffers that cannot be released (dirty, pinned, or the page under
 * writeback), PG_dirty, or a count above
 * the cache's and the caller's (`countLimit`, 2; pass Infinity for the variants that ignore it).
 */
export function invalidateBlocker(tid: string, p: Page, countLimit = 2): FailureReason | undefined {
  if (p.locked !== null && p.locked !== tid) return 'locked';
  // try_to_release_page refuses a page under writeback before it asks the filesystem.
  if (p.buffers !== 'none' && p.writeback) return 'buffers';
  if (p.buffers === 'dirty' || p.buffers === 'pinned') return 'buffers';
  if (p.dirty) return 'dirty';
  if (p.count > countLimit) return 'elevated-count';
  return undefined;
}

/** A failure is genuine when a real user holds the page: a pin (or a reference a finished thread kept), pinned buffers, another holder of its lock, or dirt that is not the invalidator's own doing (its unmap's zap, its own set_page_dirty). */
export function genuineFailure(tid: string, p: Page, reason: FailureReason, finished: (thread: string) => boolean): boolean {
  if (reason === 'elevated-count') return p.pins > 0 || Object.entries(p.holders).some(([t, n]) => n > 0 && finished(t));
  if (reason === 'buffers' && p.buffers === 'pinned') return true;
  if (reason === 'locked') return true;
  return p.dirtOrigin !== null && !p.dirtOrigin.endsWith(`:${tid}`);
}

export const mappingPrimitives: Primitive[] = [
  {
    name: 'mapping_mapped', doc: 'True when some vma maps the file.', sleeps: false,
    run(ctx, a) {
      const mid = argId(a[0], 'mapping');
      if (mid === undefined) return 0n;
      ctx.read(idText('mapping', mid));
      return bool(ctx.d.s.mappings[mid].vmas.length > 0);
    },
  },
  ...['list_empty', 'prio_tree_empty'].map((name): Primitive => ({
    name, doc: 'For &mapping->i_mmap / i_mmap_shared: true when no vma is on that list; other lists are empty.', sleeps: false,
    run: (ctx, a) => bool(vmasOn(ctx, a[0]).length === 0),
  })),
  {
    name: 'vma_first', doc: 'First vma on a mapping\'s vma list, or NULL.', sleeps: false,
    run(ctx, a) { const v = vmasOn(ctx, a[0]); return v.length ? mkRef('vma', v[0]) : 0n; },
  },
  {
    name: 'vma_next', doc: 'The vma after `vma` on the list, or NULL.', sleeps: false,
    run(ctx, a) {
      const v = vmasOn(ctx, a[0]);
      const cur = argId(a[1], 'vma');
      const i = cur === undefined ? -1 : v.indexOf(cur);
      return i >= 0 && i + 1 < v.length ? mkRef('vma', v[i + 1]) : 0n;
    },
  },
  ...['unmap_mapping_range', 'invalidate_mmap_range'].map((name): Primitive => ({
    name, doc: 'Zaps the ptes of a byte range in every process (length 0: to the end); dirty ptes dirty their pages; bumps truncate_count after 2.5.', sleeps: true,
    run(ctx, a) {
      const mid = argId(a[0], 'mapping');
      if (mid === undefined) return 0n;
      const [first, last] = holePages(int(a[1]), int(a[2]));
      return unmapRange(ctx, mid, first, last, bumps(ctx));
    },
  })),
  {
    name: 'zap_page_range', doc: 'Zaps the ptes of one vma over a byte range of user addresses.', sleeps: true,
    run(ctx, a) {
      const vid = argId(a[0], 'vma');
      if (vid === undefined) return 0n;
      const v = ctx.d.s.vmas[vid];
      const first = int(a[1]) >> 12n;
      const last = (int(a[1]) + int(a[2]) - 1n) >> 12n;
      for (const k of Object.keys(ctx.d.s.mms[v.mm].ptes).map(Number)) {
        if (BigInt(k) >= first && BigInt(k) <= last) zapPte(ctx, v.mm, k);
      }
      return 0n;
    },
  },
  {
    name: 'invalidate_complete_page', doc: 'Drops a clean, unmapped page whose buffers can go; 0 otherwise (the interpreter records why).', sleeps: false,
    run(ctx, a) {
      const mid = argId(a[0], 'mapping');
      const p = argPage(ctx, a[1]);
      if (!p || p.mapping !== mid) return 0n;
      if (p.buffers === 'clean') p.buffers = 'none';
      if (invalidateBlocker(ctx.tid, p)) return 0n;
      removeFromCache(ctx, p);
      p.count--;
      return 1n;
    },
  },
];
