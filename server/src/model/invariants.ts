/**
 * The model invariants of DESIGN section 6 as named predicates. State invariants are judged after
 * every step (a violation is reported when it first appears); event invariants (sleep-in-atomic,
 * lock-order, flag-without-lock, aio-complete-once's second completion) are raised by the
 * primitives as they happen; final invariants are judged when every thread is done, and
 * dirty-data-loss after the epilogue. Livelock is the explorer's (it needs cycles); the threads'
 * `progress` counters are its measure.
 * Limits: dirty-uptodate excuses a page while a thread holds its lock (the kernel fills such a
 * page in several steps under that lock); mapped-uptodate excuses nothing.
 */
import type { FailureReason } from '../findings';
import type { PrimCtx } from './primitives/primitive';
import { EIOCBQUEUED } from '../lower/kernel-constants';
import { keysOf, type Page, type State } from './state';
import type { Value } from './values';
import type { ModelRule } from './violations';

export interface Found {
  rule: ModelRule;
  message: string;
  reason?: FailureReason;
}

export interface Invariant {
  id: ModelRule;
  doc: string;
  kernelRule: string;
  check(s: State): Found[];
  /** For an invariant judged page by page: its rule (the interpreter judges them in one pass). */
  page?: PageRule;
}

/** No finding: shared, and frozen so that a caller pushing to it fails loudly. */
const NONE: Found[] = Object.freeze([]) as unknown as Found[];

/**
 * Findings for the pages of `s` that `bad` holds for, in id order. A loop over the ids, not
 * `Object.values(s.pages).filter(...).map(...)`: those arrays' elements kinds changed with what a
 * state held (no page found, some found), and each change deoptimised the checks mid-search.
 * Judged after every step, so nothing is allocated when no page is bad (`NONE`), and the
 * predicates are made once (below), not per call.
 */
function pageFindings(s: State, r: PageRule): Found[] {
  let out: Found[] | undefined;
  const ids = keysOf(s.pages);
  for (let i = 0; i < ids.length; i++) {
    const p = s.pages[ids[i] as unknown as number];
    if (r.bad(p)) (out ??= []).push(pageFinding(r.rule, p, r.message));
  }
  return out ?? NONE;
}

/**
 * A page's finding under a rule, made once per page index: its message says only the index, and
 * a page that stays bad over many states (a stray page the search carries along) had its message
 * built again for each of them. Keyed by index, not by page object: a table of page objects kept
 * thousands of published pages (and their pte lists) alive for the collector to trace. Bounded
 * (emptied when full; findings are never changed), though a scenario has a handful of indices.
 */
const pageFound = new Map<ModelRule, Map<number, Found>>();
const INDICES_KEPT = 4096;
function pageFinding(rule: ModelRule, p: Page, message: (index: number) => string): Found {
  let byIndex = pageFound.get(rule);
  if (!byIndex) pageFound.set(rule, (byIndex = new Map()));
  let f = byIndex.get(p.index);
  if (!f) {
    if (byIndex.size >= INDICES_KEPT) byIndex.clear();
    f = { rule, message: message(p.index) };
    byIndex.set(p.index, f);
  }
  return f;
}

/** A state invariant judged page by page: the pages `bad` holds for break it, each with its message. */
interface PageRule {
  rule: ModelRule;
  bad: (p: Page) => boolean;
  message: (index: number) => string;
}

// No exemption for a locked page: the fault path maps a page only after its read completed
// (filemap_nopage waits on the page lock; 2.6.23's filemap_fault returns it locked but uptodate).
const MAPPED_UPTODATE: PageRule = {
  rule: 'mapped-uptodate', bad: (p) => p.ptes.length > 0 && !p.uptodate,
  message: (index) => `page ${index} is mapped by a pte but not uptodate`,
};
// A locked page is exempt: its lock holder may be filling it (a write into a !uptodate page
// dirties its buffers in prepare_write/commit_write and sets PG_uptodate before unlock_page).
const DIRTY_UPTODATE: PageRule = {
  rule: 'dirty-uptodate', bad: (p) => (p.dirty || p.buffers === 'dirty') && !p.uptodate && p.locked === null,
  message: (index) => `page ${index} is dirty but not uptodate`,
};
const STRAY_PAGE: PageRule = {
  rule: 'stray-page', bad: (p) => p.ptes.length > 0 && p.mapping === null,
  message: (index) => `a pte maps page ${index}, which has left the page cache`,
};

function pageIndex(s: State, id: number): number {
  return s.pages[id]?.index ?? -1;
}

/** Judged after every step. */
export const STATE_INVARIANTS: Invariant[] = [
  {
    id: 'mapped-uptodate', doc: 'Every page mapped by a pte is uptodate.',
    kernelRule: 'A page is only mapped into user space once PG_uptodate is set.',
    check: (s) => pageFindings(s, MAPPED_UPTODATE), page: MAPPED_UPTODATE,
  },
  {
    id: 'dirty-uptodate', doc: 'Every dirty page is uptodate.',
    kernelRule: 'set_page_dirty() on a !PageUptodate page lets writepage send stale data to disk.',
    check: (s) => pageFindings(s, DIRTY_UPTODATE), page: DIRTY_UPTODATE,
  },
  {
    id: 'stray-page', doc: 'No pte maps a page that has left its page cache.',
    kernelRule: 'truncate must shoot down every pte; a racing fault must re-check truncate_count.',
    check: (s) => pageFindings(s, STRAY_PAGE), page: STRAY_PAGE,
  },
  {
    id: 'dio-coherency', doc: 'After an O_DIRECT write succeeded, cached uptodate and mapped pages of its range hold the disk\'s data or newer.',
    kernelRule: 'generic_file_direct_IO invalidates the written range so later reads and faults see the new data.',
    check(s) {
      let out: Found[] | undefined;
      for (const w of s.ghost.writes) {
        if (w.kind !== 'dio' || !w.done) continue;
        const ids = keysOf(s.pages);
        for (let i = 0; i < ids.length; i++) {
          const p = s.pages[ids[i] as unknown as number];
          if (p.index !== w.index) continue;
          const seen = p.ptes.length > 0 || (p.mapping !== null && p.uptodate);
          if (seen && p.data < w.version && p.data !== (s.disk[w.index] ?? 0)) {
            (out ??= []).push({ rule: 'dio-coherency', message: `page ${p.index} ${p.ptes.length ? 'is mapped and ' : ''}holds v${p.data} after the O_DIRECT write of v${w.version} returned (disk: v${s.disk[w.index] ?? 0})` });
          }
        }
      }
      return out ?? NONE;
    },
  },
];

/** Judged once every thread is done (before the epilogue). */
export const FINAL_INVARIANTS: Invariant[] = [
  {
    id: 'stray-page', doc: 'After truncate, no pte maps a page past i_size.',
    kernelRule: 'truncate must shoot down every pte beyond the new i_size.',
    check(s) {
      const out: Found[] = [];
      for (const mm of Object.values(s.mms)) {
        for (const [k, pte] of Object.entries(mm.ptes)) {
          const p = s.pages[pte.page];
          const inode = p?.mapping !== null && p ? s.inodes[s.mappings[p.mapping].host] : Object.values(s.inodes)[0];
          if (inode && BigInt(k) * 4096n >= inode.size) out.push({ rule: 'stray-page', message: `a pte maps page ${k}, past i_size ${inode.size}` });
        }
      }
      return out;
    },
  },
  {
    id: 'aio-complete-once', doc: 'Every async iocb is completed exactly once.',
    kernelRule: 'Once ->direct_IO returns -EIOCBQUEUED the bio completion owns the iocb.',
    check: (s) => Object.values(s.iocbs).filter((c) => !c.sync && c.completions !== 1)
      .map((c) => ({ rule: 'aio-complete-once', message: `iocb ${c.id} completed ${c.completions} times` })),
  },
];

/** Judged after the epilogue: the disk holds the last write to every page. */
export const EPILOGUE_INVARIANTS: Invariant[] = [
  {
    id: 'dirty-data-loss', doc: 'After sync and drop, the disk holds the last write to every page, stores through ptes included.',
    kernelRule: 'A dirty pte or dirty page may only be cleaned by writing it back.',
    check(s) {
      const last = new Map<number, number>();
      for (const w of s.ghost.writes) last.set(w.index, Math.max(last.get(w.index) ?? -Infinity, w.version));
      const out: Found[] = [];
      for (const [index, v] of last) {
        if ((s.disk[index] ?? 0) !== v) out.push({ rule: 'dirty-data-loss', message: `the disk holds v${s.disk[index] ?? 0} of page ${index}, not its last write v${v}` });
      }
      return out;
    },
  },
];

/** State-invariant violations present after a step that were not present before it (shared: read only). */
export function stateViolations(before: State, after: State): readonly Found[] {
  // The state invariants read only pages, the disk and the ghost: a step that replaced none of
  // them (copy-on-write: an untouched collection is the same object) raises nothing new.
  if (after.pages === before.pages && after.disk === before.disk && after.ghost === before.ghost) return NONE;
  const now = holding(after);
  if (now.length === 0) return NONE;
  const was = holding(before);
  if (was.length === 0) return now;
  // A few findings each: compared pairwise, no table of their keys.
  let fresh: Found[] | undefined;
  for (let i = 0; i < now.length; i++) {
    if (!heldBefore(now[i], was)) (fresh ??= []).push(now[i]);
  }
  return fresh ?? NONE;
}

function heldBefore(f: Found, was: readonly Found[]): boolean {
  for (let i = 0; i < was.length; i++) if (was[i] === f || (was[i].rule === f.rule && was[i].message === f.message)) return true;
  return false;
}

/**
 * The state invariants a state breaks. The searches step every thread of a state in turn, then
 * go on from one of the states reached: the last few states judged are kept (states are never
 * changed once built), so most states are judged once instead of once per step from them. A
 * table of every state would be weak-map upkeep for the collector.
 */
const JUDGED_KEPT = 4;
/** The last states judged and what they break, in a ring (`judgedNext` is the oldest slot). */
const judgedStates: (State | undefined)[] = new Array<State | undefined>(JUDGED_KEPT).fill(undefined);
const judgedFound: Found[][] = new Array<Found[]>(JUDGED_KEPT).fill(NONE);
let judgedNext = 0;
function holding(s: State): Found[] {
  for (let i = 0; i < JUDGED_KEPT; i++) if (judgedStates[i] === s) return judgedFound[i];
  const found = judge(s);
  judgedStates[judgedNext] = s;
  judgedFound[judgedNext] = found;
  judgedNext = (judgedNext + 1) % JUDGED_KEPT;
  return found;
}

/** The page rules of STATE_INVARIANTS, in order, and a list per rule for `judge` to fill. */
const PAGE_RULES: PageRule[] = STATE_INVARIANTS.flatMap((i) => (i.page ? [i.page] : []));
const pageLists: (Found[] | undefined)[] = PAGE_RULES.map(() => undefined);

/**
 * What STATE_INVARIANTS' checks find, in their order: the page rules' in one pass over the pages
 * (each of them listed the pages and fetched each page again), the others by their checks.
 */
function judge(s: State): Found[] {
  const ids = keysOf(s.pages);
  for (let i = 0; i < ids.length; i++) {
    const p = s.pages[ids[i] as unknown as number];
    for (let j = 0; j < PAGE_RULES.length; j++) {
      const r = PAGE_RULES[j];
      if (r.bad(p)) (pageLists[j] ??= []).push(pageFinding(r.rule, p, r.message));
    }
  }
  let found = NONE;
  let j = 0;
  for (let i = 0; i < STATE_INVARIANTS.length; i++) {
    const inv = STATE_INVARIANTS[i];
    let f: Found[];
    if (inv.page) {
      f = pageLists[j] ?? NONE;
      pageLists[j++] = undefined;
    } else f = inv.check(s);
    if (f.length) found = found.length ? found.concat(f) : f;
  }
  return found;
}

export function finalViolations(s: State): Found[] {
  return FINAL_INVARIANTS.flatMap((i) => i.check(s));
}

export function epilogueViolations(s: State): Found[] {
  return EPILOGUE_INVARIANTS.flatMap((i) => i.check(s));
}

/** True when no thread can move but some have not finished. */
export function deadlocked(s: State, enabled: string[]): boolean {
  return enabled.length === 0 && s.threads.some((t) => t.status !== 'done' && !t.exhausted);
}

/**
 * An entry function returned `v`: a sync O_DIRECT write that returned success is done
 * (dio-coherency now applies to it); an error returned after an invalidation failed only because
 * of the thread's own doing is a spurious -EIO (invalidate-eio).
 */
export function checkReturn(ctx: PrimCtx, v: Value): void {
  if (typeof v !== 'bigint') return;
  const g = ctx.d.s.ghost;
  if (v >= 0n && g.writes.some((w) => w.kind === 'dio' && w.by === ctx.tid && !w.done && (w.iocb === undefined || ctx.d.s.iocbs[w.iocb]?.sync))) {
    const gh = ctx.d.ghost();
    gh.writes = gh.writes.map((w) => (w.kind === 'dio' && w.by === ctx.tid && (w.iocb === undefined || ctx.d.s.iocbs[w.iocb]?.sync) ? { ...w, done: true } : w));
  }
  if (v < 0n && v !== -EIOCBQUEUED) reportFailure(ctx, (f) => f.thread === ctx.tid);
}

/** invalidate-eio: an error reached the caller while the only invalidation failures were spurious. */
export function reportFailure(ctx: PrimCtx, mine: (f: State['ghost']['failures'][number]) => boolean): void {
  const fs = ctx.d.s.ghost.failures.filter(mine);
  if (fs.length === 0 || fs.some((f) => f.genuine)) return;
  const f = fs[0];
  const reason = f.reason === 'truncated' ? undefined : (f.reason as FailureReason);
  ctx.violation('invalidate-eio', `an invalidation reported failure for page ${f.index} (${f.reason}) although no user pinned it`, reason);
}
