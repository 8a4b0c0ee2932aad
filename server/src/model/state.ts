/**
 * The model's state (DESIGN section 5): address spaces, inodes, pages, mms with their ptes, the
 * disk, iocbs, locks and threads, plus ghost history that only invariants read. A state is never
 * mutated once published: a step edits a `Draft`, which clones each object it touches once
 * (copy-on-write) and leaves every other object shared with the state it came from.
 */
import type { BufferState } from '../scenarios/spec';
import { trackedView } from './footprint';
import type { WeakEntry } from './weak';
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
  /** PG_error: the last read of the page failed (absent when clear, so equal states key alike). */
  error?: true;
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

type Coll = 'pages' | 'mappings' | 'inodes' | 'files' | 'vmas' | 'mms' | 'iocbs';
type Item<C extends Coll> = State[C][number];

/** A state being edited by one step: each object is cloned the first time it is edited. */
export class Draft {
  /** The state being built: the draft's own, for its methods and for the step's result. */
  readonly state: State;
  /** What the step's code sees: `state` through a view that records reads (footprint.ts). */
  readonly s: State;
  /** Ids of the objects the step's code read (for partial-order reduction). */
  readonly reads = new Set<string>();
  private cloned = new Set<string>();

  constructor(readonly base: State) {
    this.state = { ...base };
    this.s = trackedView(this.state, this.reads);
  }

  private own(key: keyof State): void {
    if (this.cloned.has(key)) return;
    this.cloned.add(key);
    const v = this.state[key];
    (this.state as unknown as Record<string, unknown>)[key] = Array.isArray(v) ? [...v] : { ...(v as object) };
  }

  edit<C extends Coll>(c: C, id: number): Item<C> {
    this.own(c);
    const key = `${c}:${id}`;
    const coll = this.state[c] as Record<number, Item<C>>;
    if (!this.cloned.has(key)) {
      this.cloned.add(key);
      coll[id] = clonePlain(coll[id]);
      // Read-modify-write: what the caller does with the object may depend on any of it.
      this.reads.add(`${c.slice(0, -1)}:${id}`);
      if (c === 'pages') this.reads.add(`pageref:${id}`);
    }
    return coll[id];
  }

  page(id: number): Page { return this.edit('pages', id); }
  mapping(id: number): Mapping { return this.edit('mappings', id); }
  mm(id: number): Mm { return this.edit('mms', id); }
  iocb(id: number): Iocb { return this.edit('iocbs', id); }
  inode(id: number): Inode { return this.edit('inodes', id); }

  addPage(p: Page): void {
    this.own('pages');
    this.cloned.add(`pages:${p.id}`);
    this.state.pages[p.id] = p;
  }

  /**
   * A thread to edit. Copied shallowly: its frames stay shared with the base state until written,
   * and code only ever writes the top frame (locals, pc), so the current top frame is made this
   * draft's own on every call — after a return pops a frame, the caller's frame is copied the
   * first time it is asked for. Locals and struct contents are replaced, never written in place
   * (Evaluator.assign, writeField), so a frame copy shares its locals until one changes.
   * Sharing frames keeps copies cheap and lets state keys reuse the text of unchanged frames.
   */
  thread(name: string): Thread {
    let t = this.ownThreads.get(name);
    if (!t) {
      this.own('threads');
      const i = this.state.threads.findIndex((x) => x.name === name);
      if (i < 0) throw new Error(`no thread ${name}`);
      const b = this.state.threads[i];
      t = this.state.threads[i] = { ...b, frames: b.frames.slice(), spins: b.spins.slice(), structs: { ...b.structs } };
      this.ownThreads.set(name, t);
    }
    const top = t.frames.length - 1;
    if (top >= 0 && !this.ownFrames.has(t.frames[top])) {
      const f = t.frames[top];
      const copy: Frame = { ...f };
      t.frames[top] = copy;
      this.ownFrames.add(copy);
    }
    return t;
  }

  /**
   * The locals of a frame this draft owns (the top frame `thread()` returned), to write in place:
   * copied on the step's first write to them, since the frame's copy shares them with the base
   * state until then. One copy per step instead of one per assignment.
   */
  locals(f: Frame): Record<string, Value> {
    if (!this.ownLocals.has(f.locals)) {
      f.locals = { ...f.locals };
      this.ownLocals.add(f.locals);
    }
    return f.locals;
  }

  private readonly ownLocals = new Set<object>();

  /** Another thread, read but not copied (a thread-local struct's owner, a holder's status). */
  peekThread(name: string): Thread | undefined {
    this.reads.add(`thread:${name}`);
    return this.ownThreads.get(name) ?? this.state.threads.find((x) => x.name === name);
  }

  /** Whether a thread of that name exists (names of started threads): reads the thread list. */
  hasThread(name: string): boolean {
    this.reads.add('threads');
    return this.state.threads.some((x) => x.name === name);
  }

  /** Retires a finished thread: its name is free for the next one started. */
  removeThread(name: string): void {
    this.own('threads');
    this.ownThreads.delete(name);
    this.state.threads = this.state.threads.filter((x) => x.name !== name);
  }

  /** Threads and frames this draft copied: the only ones it may write. */
  private readonly ownThreads = new Map<string, Thread>();
  private readonly ownFrames = new Set<Frame>();

  addThread(t: Thread): void {
    this.own('threads');
    this.ownThreads.set(t.name, t);
    this.state.threads.push(t);
  }

  setDisk(index: number, version: number): void {
    this.own('disk');
    this.state.disk[index] = version;
  }

  setLock(key: string, st: LockState | undefined): void {
    this.own('locks');
    if (st === undefined || (!st.holder && !(st.readers && st.readers.length))) delete this.state.locks[key];
    else this.state.locks[key] = st;
  }

  ghost(): Ghost {
    if (!this.cloned.has('ghost')) {
      this.cloned.add('ghost');
      this.reads.add('ghost');
      this.state.ghost = clonePlain(this.state.ghost);
    }
    return this.state.ghost;
  }

  /**
   * The id of a page being allocated: the smallest id that no page holds or whose page is free
   * (`isFreePage`), which the new page then replaces. Ids are reused so that a page freed and
   * allocated again (a fault re-reading a page truncate keeps dropping) gives back the same state:
   * with ever-growing ids such a loop never repeats a state and no search of it can be exhaustive.
   * A free page has no reference left, so reusing it is the kernel's own behaviour (the allocator
   * hands freed memory out again; a stale pointer to it then sees the new page).
   * The scan goes through the recording view: the step reads every page it considers, so DPOR
   * orders it against the steps that free or take pages (they write `pageref:N`).
   */
  newId(): number {
    const pages = this.s.pages;
    for (let id = 1; ; id++) {
      const p = pages[id];
      if (p === undefined || isFreePage(p)) return id;
    }
  }

  newVersion(): number {
    return this.state.clock++;
  }
}

/**
 * A page nothing holds or can observe: no reference (count, holders, pins), out of every cache
 * and page table, unlocked, no I/O, clean (a dirty freed page stays: the invariants judge it).
 */
export function isFreePage(p: Page): boolean {
  return p.count === 0 && p.mapping === null && p.ptes.length === 0 && p.locked === null && !p.reading && !p.writeback &&
    p.pins === 0 && !p.dirty && p.buffers !== 'dirty' && Object.keys(p.holders).length === 0;
}

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

