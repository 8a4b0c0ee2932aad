/**
 * Page-table primitives in the library's spelling: `pmd_offset(mm, address)` and
 * `pte_offset_map(pmd, address)` give handles to a pte slot, `*ptep` reads the slot's value (a
 * present pte naming its page and dirty bit, or 0 for none), `set_pte` installs and
 * `ptep_get_and_clear` empties a slot, and `user_store_pte` is the CPU storing through a pte.
 * Limits: one pmd per mm, and one vma, which starts at address 0: an address maps to file page
 * `(address >> PAGE_SHIFT) + vm_pgoff`, and pte slots are keyed by that file page.
 */
import { idText } from '../footprint';
import type { Pte } from '../state';
import { isRef, mkRef, type Ref, type Value } from '../values';
import { hold } from './pages';
import { argId, argPage, bool, type PrimCtx, type Primitive } from './primitive';

function int(v: Value | undefined): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

/** The slot a `pte_t *` designates. */
function slot(v: Value | undefined): { mm: number; index: number } | undefined {
  if (!isRef(v) || v.ref !== 'pte') return undefined;
  const at = v.id.indexOf(':');
  // `mm:index`, as pteSlot makes every pte reference (an id without a colon: no slot, index NaN).
  return at < 0 ? { mm: Number(v.id), index: NaN } : { mm: Number(v.id.slice(0, at)), index: Number(v.id.slice(at + 1)) };
}

/** The value of a pte: a `pteval` reference or 0 for none. */
export function pteValue(p: Pte | undefined): Value {
  if (!p) return 0n;
  return p.dirty ? mkRef('pteval', p.page, 'dirty') : mkRef('pteval', p.page);
}

/** Reads the slot behind a `pte_t *` (the `*ptep` of the C). */
export function readPte(ctx: PrimCtx, ptr: Ref): Value {
  const s = slot(ptr);
  if (!s) return 0n;
  ctx.read(idText('mm', s.mm));
  return pteValue(ctx.d.s.mms[s.mm]?.ptes[s.index]);
}

function pteOf(v: Value | undefined): { page: number; dirty: boolean } | undefined {
  if (!isRef(v) || v.ref !== 'pteval') return undefined;
  return { page: Number(v.id), dirty: v.field === 'dirty' };
}

/** The pte slot of `address` in mm `mm` (a `pte` ref `mm:index`). */
export function pteSlot(ctx: PrimCtx, mm: number, address: bigint): Ref {
  // The vma's pgoff never changes during a run, so reading it is no shared access. Every vma is
  // read, as listing them through the recording view did (the list, then each vma, in order).
  const ids = ctx.d.ids('vmas');
  const vmas = ctx.d.s.vmas;
  let pgoff: number | undefined;
  for (let i = 0; i < ids.length; i++) {
    const v = vmas[ids[i] as unknown as number];
    if (pgoff === undefined && v.mm === mm) pgoff = v.pgoff;
  }
  pgoff ??= 0;
  return mkRef('pte', `${mm}:${(address >> 12n) + BigInt(pgoff)}`);
}

const noop = (name: string, doc: string): Primitive => ({ name, doc, sleeps: false, pure: true, run: () => 0n });

export const ptePrimitives: Primitive[] = [
  {
    name: 'pmd_offset', doc: 'The pmd of mm (one per mm in the model).', sleeps: false, pure: true,
    run: (_ctx, a) => { const mm = argId(a[0], 'mm'); return mm === undefined ? 0n : mkRef('pmd', mm); },
  },
  {
    name: 'pte_offset_map', doc: 'The pte slot of address under pmd.', sleeps: false, pure: true,
    run: (ctx, a) => {
      const mm = argId(a[0], 'pmd');
      return mm === undefined ? 0n : pteSlot(ctx, mm, int(a[1]));
    },
  },
  noop('pte_unmap', 'Releases a pte mapping (nothing to do).'),
  { name: 'pte_none', doc: 'True when the pte maps nothing.', sleeps: false, pure: true, run: (_c, a) => bool(!pteOf(a[0])) },
  { name: 'pte_present', doc: 'True when the pte maps a page.', sleeps: false, pure: true, run: (_c, a) => bool(!!pteOf(a[0])) },
  { name: 'pte_dirty', doc: 'The pte\'s dirty bit.', sleeps: false, pure: true, run: (_c, a) => bool(!!pteOf(a[0])?.dirty) },
  {
    name: 'pte_page', doc: 'The page a pte maps.', sleeps: false, pure: true,
    run: (_c, a) => { const p = pteOf(a[0]); return p ? mkRef('page', p.page) : 0n; },
  },
  {
    name: 'mk_pte', doc: 'A present, clean pte for page.', sleeps: false, pure: true,
    run: (_c, a) => { const id = argId(a[0], 'page'); return id === undefined ? 0n : mkRef('pteval', id); },
  },
  {
    name: 'pte_mkdirty', doc: 'The pte with its dirty bit set.', sleeps: false, pure: true,
    run: (_c, a) => { const p = pteOf(a[0]); return p ? mkRef('pteval', p.page, 'dirty') : 0n; },
  },
  { name: 'pte_mkwrite', doc: 'The pte made writable (every pte is).', sleeps: false, pure: true, run: (_c, a) => a[0] ?? 0n },
  {
    name: 'set_pte', doc: 'Installs pte in the slot: the page becomes mapped (the caller\'s page reference becomes the pte\'s).', sleeps: false,
    run(ctx, a) {
      const s = slot(a[0]);
      const v = pteOf(a[1]);
      if (!s || !v || !ctx.d.s.pages[v.page]) return 0n;
      const mm = ctx.d.mm(s.mm);
      const old = mm.ptes[s.index];
      if (old) ctx.note(`set_pte over a present pte at index ${s.index}`);
      mm.ptes[s.index] = { page: v.page, dirty: v.dirty };
      const p = ctx.d.page(v.page);
      const key = `${s.mm}:${s.index}`;
      if (!p.ptes.includes(key)) p.ptes = [...p.ptes, key].sort();
      hold(p, ctx.tid, -1);
      return 0n;
    },
  },
  {
    name: 'ptep_get_and_clear', doc: 'Empties the slot and returns its old pte (the caller drops the page reference).', sleeps: false,
    run(ctx, a) {
      const s = slot(a[0]);
      if (!s) return 0n;
      const old = ctx.d.s.mms[s.mm]?.ptes[s.index];
      if (!old) return 0n;
      delete ctx.d.mm(s.mm).ptes[s.index];
      // The page stays mapped (rmap) until page_remove_rmap: the kernel's zap hands the pte's
      // dirty bit to the page before it drops the mapcount, so whoever sees page_mapped() false
      // also sees that dirt.
      hold(ctx.d.page(old.page), ctx.tid, 1);
      return pteValue(old);
    },
  },
  {
    name: 'user_store_pte', doc: 'The CPU stores through a present pte: new data in the page, pte dirty.', sleeps: false,
    run(ctx, a) {
      const s = slot(a[0]);
      const old = s ? ctx.d.s.mms[s.mm]?.ptes[s.index] : undefined;
      if (!s || !old) { ctx.note('user_store_pte through an empty pte'); return 0n; }
      ctx.d.mm(s.mm).ptes[s.index] = { page: old.page, dirty: true };
      const p = ctx.d.page(old.page);
      p.data = ctx.d.newVersion();
      ctx.d.ghost().writes.push({ index: p.index, version: p.data, by: ctx.tid, kind: 'store' });
      return 0n;
    },
  },
  {
    name: 'copy_page_to_user', doc: 'A reader copies the page out (what it saw shows in the trace).', sleeps: false,
    run: (ctx, a) => { argPage(ctx, a[0]); return 0n; },
  },
  {
    name: 'page_remove_rmap', doc: 'Drops the mapcount a cleared pte held (page_mapped() turns false with the last one).', sleeps: false,
    run(ctx, a) {
      const id = argId(a[0], 'page');
      const page = id === undefined ? undefined : ctx.d.s.pages[id];
      if (id === undefined || !page) return 0n;
      // The rmap entry of a pte slot that no longer maps this page: the given ptep's (2.5), else any.
      const given = slot(a[1]);
      const stale = (k: string) => {
        const [mm, index] = k.split(':').map(Number);
        ctx.read(idText('mm', mm));
        return ctx.d.s.mms[mm]?.ptes[index]?.page !== id;
      };
      const key = given && page.ptes.includes(`${given.mm}:${given.index}`) && stale(`${given.mm}:${given.index}`)
        ? `${given.mm}:${given.index}` : page.ptes.find(stale);
      if (key === undefined) { ctx.note(`page_remove_rmap of page ${page.index} with no cleared pte`); return 0n; }
      const p = ctx.d.page(id);
      p.ptes = p.ptes.filter((k) => k !== key);
      return 0n;
    },
  },
  ...['page_add_rmap', 'page_add_file_rmap', 'pte_chain_free', 'flush_tlb_page', 'update_mmu_cache',
    'lazy_mmu_prot_update', 'mark_page_accessed', 'balance_dirty_pages_ratelimited']
    .map((n) => noop(n, 'Nothing to do in the model (bookkeeping it does not keep).')),
  { name: 'pte_chain_alloc', doc: '2.5 rmap bookkeeping: a non-NULL handle.', sleeps: false, pure: true, run: () => mkRef('global', 'pte_chain') },
  { name: 'min', doc: 'The smaller argument.', sleeps: false, pure: true, run: (_c, a) => (int(a[0]) < int(a[1]) ? int(a[0]) : int(a[1])) },
  { name: 'max', doc: 'The larger argument.', sleeps: false, pure: true, run: (_c, a) => (int(a[0]) > int(a[1]) ? int(a[0]) : int(a[1])) },
];
