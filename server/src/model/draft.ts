/**
 * A state being edited by one step (copy-on-write, see state.ts): each object is cloned the first
 * time the step edits it, and every read goes through a view that records it for the footprint.
 */
import { idText, KIND, pageId, pagerefId, ReadSet, trackedView } from './footprint';
import type { Value } from './values';
import { clonePlain, copyPage, copyState, isFreePage, keysOf, makePage, makeThread, threadNamed, type Frame, type Ghost, type Inode, type Iocb, type LockState, type Mapping, type Mm, type Page, type State, type Thread } from './state';

type Coll = 'pages' | 'mappings' | 'inodes' | 'files' | 'vmas' | 'mms' | 'iocbs';
type Item<C extends Coll> = State[C][number];

/**
 * A state being edited by one step: each object is cloned the first time it is edited. What the
 * draft has cloned is told by identity, not recorded: an object (a collection, a page, a thread,
 * the top frame's locals) is still the base state's until it is cloned, and every clone is a new
 * object. Sets of the keys and objects cloned, with a key text built at every edit, were a good
 * part of what a step allocated.
 */
export class Draft {
  /** The state being built: the draft's own, for its methods and for the step's result. */
  readonly state: State;
  /** What the step's code sees: `state` through a view that records reads (footprint.ts). */
  readonly s: State;
  /** Ids of the objects the step's code read (for partial-order reduction). */
  readonly reads = new ReadSet();

  constructor(readonly base: State) {
    this.state = copyState(base);
    this.s = trackedView(this.state, this.reads);
  }

  /**
   * Makes a field of the state (a collection, the thread list) the draft's own: a shallow copy.
   * One copy site per field: the collections differ in shape (pages keyed by number, locks by
   * name, the thread list an array), and one spread for all of them was a megamorphic copy, the
   * runtime's slow path, several times the cost of each site's own.
   */
  private own(key: Coll | 'disk' | 'locks' | 'threads'): void {
    const st = this.state;
    const b = this.base;
    switch (key) {
      case 'pages': if (st.pages === b.pages) st.pages = { ...b.pages }; return;
      case 'mappings': if (st.mappings === b.mappings) st.mappings = { ...b.mappings }; return;
      case 'inodes': if (st.inodes === b.inodes) st.inodes = { ...b.inodes }; return;
      case 'files': if (st.files === b.files) st.files = { ...b.files }; return;
      case 'vmas': if (st.vmas === b.vmas) st.vmas = { ...b.vmas }; return;
      case 'mms': if (st.mms === b.mms) st.mms = { ...b.mms }; return;
      case 'iocbs': if (st.iocbs === b.iocbs) st.iocbs = { ...b.iocbs }; return;
      case 'disk': if (st.disk === b.disk) st.disk = { ...b.disk }; return;
      case 'locks': if (st.locks === b.locks) st.locks = { ...b.locks }; return;
      case 'threads': if (st.threads === b.threads) st.threads = b.threads.slice(); return;
    }
  }

  edit<C extends Coll>(c: C, id: number): Item<C> {
    if (c === 'pages') return this.page(id) as Item<C>;
    this.own(c);
    const coll = this.state[c] as Record<number, Item<C>>;
    const was = coll[id];
    if (was === (this.base[c] as Record<number, Item<C>>)[id]) {
      coll[id] = clonePlain(was);
      // Read-modify-write: what the caller does with the object may depend on any of it.
      this.reads.add(idText(KIND[c], id));
    }
    return coll[id];
  }

  /**
   * A page to edit (what `edit('pages', id)` gives, by a path of its own: the step edits a page
   * more often than all the rest). Copied through copyPage, for one hidden class for every page
   * (state.ts); read whole, its reference bookkeeping included.
   */
  page(id: number): Page {
    this.own('pages');
    const coll = this.state.pages;
    const was = coll[id];
    if (was === this.base.pages[id]) {
      coll[id] = copyPage(was);
      this.reads.add(pageId(id));
      this.reads.add(pagerefId(id));
    }
    return coll[id];
  }

  /**
   * The page `id` to edit, or undefined when there is none: reads `page:id` either way (whether
   * the page exists is read), then as `page` does. What a step's code does with a pointer to a page.
   */
  pageIfAny(id: number): Page | undefined {
    this.reads.add(pageId(id));
    return this.state.pages[id] === undefined ? undefined : this.page(id);
  }

  /**
   * The ids of a collection's objects, in for-in order: a read of its membership (`pages`...), as
   * listing it through the view is. What `Object.keys(d.s.pages)` gives without a Proxy's
   * protocol (a trap, then a property descriptor per key); the objects are then fetched through
   * the view, which records each.
   */
  ids(c: Coll | 'disk' | 'locks'): readonly string[] {
    this.reads.add(c);
    const o = this.state[c];
    // keysOf keeps the lists of published collections only: the draft's own copy may still change.
    return o === this.base[c] ? keysOf(o) : Object.keys(o);
  }

  mapping(id: number): Mapping { return this.edit('mappings', id); }
  mm(id: number): Mm { return this.edit('mms', id); }
  iocb(id: number): Iocb { return this.edit('iocbs', id); }
  inode(id: number): Inode { return this.edit('inodes', id); }

  addPage(p: Parameters<typeof makePage>[0]): void {
    this.own('pages');
    this.state.pages[p.id] = makePage(p);
  }

  /**
   * A thread to edit. Copied shallowly: its frames stay shared with the base state until written,
   * and code only ever writes the top frame (locals, pc), so the current top frame is made this
   * draft's own on every call — after a return pops a frame, the caller's frame is copied the
   * first time it is asked for. Locals and struct contents are replaced, never written in place
   * (Evaluator.assign, writeField), so a frame copy shares its locals until one changes.
   * Sharing frames keeps copies cheap and lets state keys reuse the text of unchanged frames.
   * A frame is the draft's own unless it is the base thread's frame at the same depth (frames are
   * only pushed and popped, and every frame pushed is new). The thread last asked for is kept
   * with its base: a step asks for its own thread many times.
   */
  thread(name: string): Thread {
    let t = this.cur;
    let b = this.curBase;
    if (t === undefined || this.curName !== name) {
      const found = threadNamed(this.state.threads, name);
      if (!found) throw new Error(`no thread ${name}`);
      b = threadNamed(this.base.threads, name);
      if (found === b) {
        this.own('threads');
        t = this.state.threads[this.state.threads.indexOf(found)] = makeThread(found);
        t.frames = found.frames.slice();
        t.spins = found.spins.slice();
        t.structs = { ...found.structs };
      } else t = found;
      this.curName = name;
      this.cur = t;
      this.curBase = b;
    }
    const top = t.frames.length - 1;
    if (top >= 0 && b !== undefined && t.frames[top] === b.frames[top]) t.frames[top] = copyFrame(t.frames[top]);
    return t;
  }

  /** The thread `thread()` last returned, and that thread in the base state (undefined: started by this draft). */
  private curName: string | undefined;
  private cur: Thread | undefined;
  private curBase: Thread | undefined;

  /**
   * The locals of a frame this draft owns (the top frame `thread()` returned), to write in place:
   * copied on the step's first write to them, since the frame's copy shares them with the base
   * state until then (they are the base's frame's at the same depth). One copy per step instead of
   * one per assignment. A frame not of the thread last asked for is not expected; its locals are
   * copied every time (more copies, never a write into the base state).
   */
  locals(f: Frame): Record<string, Value> {
    const i = this.cur === undefined ? -1 : this.cur.frames.lastIndexOf(f);
    if (i < 0 || (this.curBase !== undefined && this.curBase.frames[i]?.locals === f.locals)) f.locals = { ...f.locals };
    return f.locals;
  }

  /** Another thread, read but not copied (a thread-local struct's owner, a holder's status). */
  peekThread(name: string): Thread | undefined {
    this.reads.add(idText('thread', name));
    return threadNamed(this.state.threads, name);
  }

  /** Whether a thread of that name exists (names of started threads): reads the thread list. */
  hasThread(name: string): boolean {
    this.reads.add('threads');
    return threadNamed(this.state.threads, name) !== undefined;
  }

  /** Retires a finished thread: its name is free for the next one started. */
  removeThread(name: string): void {
    if (this.curName === name) this.cur = this.curBase = this.curName = undefined;
    this.state.threads = this.state.threads.filter((x) => x.name !== name);
  }

  addThread(t: Thread): void {
    this.own('threads');
    if (this.curName === t.name) this.cur = this.curBase = this.curName = undefined;
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
    if (this.state.ghost === this.base.ghost) {
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

/** A frame's shallow copy, its optional fields present as in the original (for the same reason). */
function copyFrame(f: Frame): Frame {
  const c: Frame = { fn: f.fn, pc: f.pc, locals: f.locals };
  if (f.args !== undefined) c.args = f.args;
  if (f.blocker !== undefined) c.blocker = f.blocker;
  return c;
}
