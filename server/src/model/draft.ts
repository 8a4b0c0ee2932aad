/**
 * A state being edited by one step (copy-on-write, see state.ts): each object is cloned the first
 * time the step edits it, and every read goes through a view that records it for the footprint.
 */
import { trackedView } from './footprint';
import type { Value } from './values';
import { clonePlain, copyPage, isFreePage, makePage, makeThread, threadNamed, type Frame, type Ghost, type Inode, type Iocb, type LockState, type Mapping, type Mm, type Page, type State, type Thread } from './state';

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
      // Pages through copyPage: one hidden class for every page (state.ts).
      coll[id] = c === 'pages' ? copyPage(coll[id] as Page) as Item<C> : clonePlain(coll[id]);
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

  addPage(p: Parameters<typeof makePage>[0]): void {
    this.own('pages');
    this.cloned.add(`pages:${p.id}`);
    this.state.pages[p.id] = makePage(p);
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
      const b = threadNamed(this.state.threads, name);
      if (!b) throw new Error(`no thread ${name}`);
      const i = this.state.threads.indexOf(b);
      t = this.state.threads[i] = makeThread(b);
      t.frames = b.frames.slice();
      t.spins = b.spins.slice();
      t.structs = { ...b.structs };
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
    return this.ownThreads.get(name) ?? threadNamed(this.state.threads, name);
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
