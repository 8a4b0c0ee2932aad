/**
 * The model's state (DESIGN section 5): address spaces, inodes, pages, mms with their ptes, the
 * disk, iocbs, locks and threads, plus ghost history that only invariants read. A state is never
 * mutated once published: a step edits a `Draft` (draft.ts), which clones each object it touches
 * once (copy-on-write) and leaves every other object shared with the state it came from.
 */
import type { FailureReason } from '../findings';
import type { BufferState } from '../scenarios/spec';
import type { WeakEntry } from './weak-entry';
import type { Value } from './values';

export interface Page {
  id: number;
  index: number;
  /** Mapping id while the page is in a page cache; null once removed (page->mapping == NULL). */
  mapping: number | null;
  /** Thread holding PG_locked, or null. */
  locked: string | null;
  uptodate: boolean;
  dirty: boolean;
  writeback: boolean;
  /** Keys `mm:index` of the ptes mapping the page; mapcount is their number. */
  ptes: string[];
  /** page_count(): the cache's reference, each pte's, each holder's. */
  count: number;
  buffers: BufferState;
  /** Data version the page holds; -1 means garbage (never read). */
  data: number;
  /** Ghost: references held by real users outside the threads (get_user_pages, the journal). */
  pins: number;
  /** Ghost: where the dirt of the page or of its buffers came from (`zap:<thread>`, `user`), or null when clean. */
  dirtOrigin: string | null;
  /** Ghost: page references each thread holds (lookups, gets, a pte's reference taken back); a finished thread still holding one pins the page. */
  holders: Record<string, number>;
  /** A read is in flight (->readpage started it; an I/O pseudo-thread completes it). */
  reading: boolean;
  /** PG_error: the last read of the page failed; `undefined` when clear (state keys and JSON skip it). */
  error: true | undefined;
}

/**
 * Every page is built here (`makePage`) or copied here (`copyPage`), with all its fields present in
 * one order, so all pages share one hidden class in V8: pages built by different object literals,
 * copied key by key, or given PG_error later had several, and the code that reads pages (the
 * invariants' checks, the steps) met new ones mid-search, deoptimised and was compiled again.
 * The order is the one page texts were always written in (state-key.ts reads fields in order).
 */
export function makePage(p: Omit<Page, 'error'> & { error?: true }): Page {
  return {
    id: p.id, index: p.index, mapping: p.mapping, locked: p.locked, uptodate: p.uptodate, dirty: p.dirty,
    writeback: p.writeback, ptes: p.ptes, count: p.count, buffers: p.buffers, data: p.data, pins: p.pins,
    dirtOrigin: p.dirtOrigin, reading: p.reading, holders: p.holders, error: p.error,
  };
}

/** A page's copy for a step to edit: its own ptes list and holders record, like `clonePlain`. */
export function copyPage(p: Page): Page {
  const c = makePage(p);
  c.ptes = p.ptes.slice();
  c.holders = { ...p.holders };
  return c;
}

export interface Mapping {
  id: number;
  host: number;
  /** The page cache: page index → page id. */
  pages: Record<number, number>;
  truncateCount: number;
  /** i_mmap: ids of the vmas that map this file. */
  vmas: number[];
}

export interface Inode {
  id: number;
  size: bigint;
  mapping: number;
}

export interface FileObj {
  id: number;
  inode: number;
  mapping: number;
}

/** A shared file mapping from file page 0 (vm_pgoff 0): user page i maps file page i. */
export interface Vma {
  id: number;
  mm: number;
  file: number;
  pgoff: number;
  /** Length in pages. */
  pages: number;
}

export interface Pte {
  page: number;
  dirty: boolean;
}

export interface Mm {
  id: number;
  /** Ptes by file page index. */
  ptes: Record<number, Pte>;
}

export interface Iocb {
  id: number;
  sync: boolean;
  file: number;
  /** ->direct_IO queued the I/O (returned -EIOCBQUEUED). */
  queued: boolean;
  completions: number;
  /** Result passed to the first aio_complete, or returned for a sync kiocb. */
  result: bigint | null;
  /** ki_pos and ki_nbytes as the submitter set them. */
  pos?: bigint;
  nbytes?: bigint;
}

/** A spinlock, semaphore or rw-semaphore, by key (`mm:1.page_table_lock`, `inode:1.i_sem`). */
export interface LockState {
  holder?: string;
  readers?: string[];
}

/** What a blocked thread waits for; `waitSatisfied` says when it may retry. */
export type Wait =
  | { on: 'page-lock'; page: number }
  | { on: 'page-unlocked'; page: number }
  | { on: 'writeback'; page: number }
  | { on: 'lock'; key: string; spin: boolean }
  | { on: 'read-lock'; key: string }
  | { on: 'iocb'; iocb: number };

export interface Frame {
  fn: string;
  pc: number;
  locals: Record<string, Value>;
  /** Arguments the frame was called with, kept for functions whose result the model judges. */
  args?: Value[];
  /**
   * In an invalidator (`invalidate_complete_page(2)`): what stood in the way of dropping its page
   * at the last primitive it ran, while the page was still in the mapping. A failure is named by
   * it when the blocker is gone by the time the function returns (a reader's reference dropped
   * between the count check and the return).
   */
  blocker?: FailureReason;
}

/** Native work of a pseudo-thread: an I/O completion. */
export type Task =
  /** `data`: the disk's version the bio took (set by the read's first step, used by its completion). */
  | { kind: 'read-io'; page: number; data?: number }
  | { kind: 'writeback-io'; page: number; version: number }
  /** Completion of a queued O_DIRECT iocb: the library's `dio_bio_end_aio`, else aio_complete itself. */
  | { kind: 'aio-complete'; iocb: number; res: bigint };

export interface Thread {
  name: string;
  frames: Frame[];
  status: 'runnable' | 'blocked' | 'done';
  wait?: Wait;
  /** Spinlock keys held, in order taken. */
  spins: string[];
  /** Value returned by the entry function. */
  ret?: Value;
  /** Thread-local structs (pagevecs, iovecs) by id. */
  structs: Record<string, Record<string, Value>>;
  /** Entry and arguments, kept to restart a repeating thread. */
  entry: string;
  args: Value[];
  repeat: boolean;
  task?: Task;
  /** Visible steps taken (budget; not part of the state key). */
  steps: number;
  /** Times the entry returned: the progress measure for livelock detection (not in the key). */
  progress: number;
  /** A repeating thread has just begun a new round (its entry returned); its next step clears it. */
  restarted?: true;
  /** Started by the model (an I/O completion): it leaves the state when it finishes. */
  spawned?: true;
  /** Under `--memory-model weak`: its stores and loads not yet performed (model/weak.ts); absent when none. */
  weak?: WeakEntry[];
  /** Ran out of its step budget or of local steps: the run is incomplete. */
  exhausted?: boolean;
}

/**
 * Every thread is built or copied here, with its optional fields present (`undefined` when unset)
 * and in one order, for the reason pages are (`makePage`): one hidden class for every thread.
 * Clearing a field sets it to `undefined`, never deletes it. State keys and JSON skip `undefined`.
 */
export function makeThread(t: Thread): Thread {
  return {
    name: t.name, frames: t.frames, status: t.status, spins: t.spins, structs: t.structs, entry: t.entry, args: t.args,
    repeat: t.repeat, steps: t.steps, progress: t.progress, task: t.task, wait: t.wait, restarted: t.restarted,
    ret: t.ret, spawned: t.spawned, weak: t.weak, exhausted: t.exhausted,
  };
}

export interface WriteRecord {
  index: number;
  version: number;
  by: string;
  kind: 'init' | 'store' | 'write' | 'dio';
  /** For O_DIRECT writes: the iocb, and whether the write returned success or completed. */
  iocb?: number;
  done?: boolean;
}

export interface Ghost {
  writes: WriteRecord[];
  /** invalidate_complete_page failures: who, which page, why, and whether a real user pinned it. */
  failures: { thread: string; page: number; index: number; reason: string; genuine: boolean }[];
}

export interface State {
  pages: Record<number, Page>;
  mappings: Record<number, Mapping>;
  inodes: Record<number, Inode>;
  files: Record<number, FileObj>;
  vmas: Record<number, Vma>;
  mms: Record<number, Mm>;
  iocbs: Record<number, Iocb>;
  /** Data version on disk per page index. */
  disk: Record<number, number>;
  locks: Record<string, LockState>;
  threads: Thread[];
  ghost: Ghost;
  /** Ids below this were given to the scenario's initial pages (later pages reuse free ids: Draft.newId). */
  nextId: number;
  /** Next data version (versions grow with time). */
  clock: number;
  /** Plain shared variables by name (litmus tests), absent in scenarios. */
  vars?: Record<string, bigint>;
}

/**
 * The state's shallow copy, field by field in one order. Every state is made by it (the initial
 * state, the draft's, the sequence counter's shifted ones), so that all have one hidden class (with
 * `vars`, a second): a state of another (a spread copy) deoptimised the code that reads states,
 * compiled on the others, at every search's first state. A spread also met states of a few hidden
 * classes and took the runtime's slow path, three times the cost of this.
 */
export function copyState(s: State): State {
  const c: State = {
    pages: s.pages, mappings: s.mappings, inodes: s.inodes, files: s.files, vmas: s.vmas, mms: s.mms, iocbs: s.iocbs,
    disk: s.disk, locks: s.locks, threads: s.threads, ghost: s.ghost, nextId: s.nextId, clock: s.clock,
  };
  if (s.vars !== undefined) c.vars = s.vars;
  return c;
}

/**
 * A page nothing holds or can observe: no reference (count, holders, pins), out of every cache
 * and page table, unlocked, no I/O, clean (a dirty freed page stays: the invariants judge it).
 */
export function isFreePage(p: Page): boolean {
  return p.count === 0 && p.mapping === null && p.ptes.length === 0 && p.locked === null && !p.reading && !p.writeback &&
    p.pins === 0 && !p.dirty && p.buffers !== 'dirty' && Object.keys(p.holders).length === 0;
}

/**
 * The thread of that name, or undefined. A loop, not `find` with an arrow: it runs several times
 * per step and per state of a search, and each arrow capturing the name was an allocation.
 */
export function threadNamed(threads: readonly Thread[], name: string): Thread | undefined {
  for (let i = 0; i < threads.length; i++) if (threads[i].name === name) return threads[i];
  return undefined;
}

/**
 * The keys of a collection of a published state (one no draft will change again), in for-in order.
 * Pages and the other collections are keyed by number, and V8 keeps no enumeration cache for
 * such keys: every for-in or Object.keys over them built a new key list (about 170 bytes for
 * three pages). After a step its footprint, the invariants and the state key each listed the new
 * state's pages: the lists of the last few collections are kept instead (read-only).
 */
export function keysOf(c: object): readonly string[] {
  for (let i = 0; i < KEYS_KEPT; i++) if (keyedObjects[i] === c) return keyLists[i];
  const keys = Object.keys(c);
  keyedObjects[nextKeyed] = c;
  keyLists[nextKeyed] = keys;
  nextKeyed = (nextKeyed + 1) % KEYS_KEPT;
  return keys;
}
const KEYS_KEPT = 8;
const keyedObjects: (object | undefined)[] = new Array<object | undefined>(KEYS_KEPT).fill(undefined);
const keyLists: string[][] = new Array<string[]>(KEYS_KEPT).fill([]);
let nextKeyed = 0;

/** Number of pages in a mapping's cache. */
export function nrpages(m: Mapping): number {
  return Object.keys(m.pages).length;
}

/**
 * Deep copy of plain data (objects, arrays, primitives, bigints): all the state holds.
 * structuredClone does the same but several times slower, and copies are on the hot path.
 */
export function clonePlain<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = clonePlain((v as Record<string, unknown>)[k]);
  return out as T;
}

