/**
 * Step footprints for partial-order reduction (DESIGN section 7): which shared objects a step read
 * and which it wrote, by id (`page:3`, `mapping:1`, `lock:mm:1.page_table_lock`, `thread:io1`...).
 *
 * Reads are recorded by a read-only view of the state that the step's code goes through
 * (`Draft.s`): every object fetched out of a collection is a read of that object, listing a
 * collection (Object.values, a key test) is a read of its membership (`pages`, `threads`, ...),
 * and the scalars (`nextId`, `clock`) and the ghost are objects of their own. Nothing has to
 * remember to declare a read, so a primitive the library adds is covered the day it is written.
 * The grain is the object, except for pages, whose fields are read one by one (below). An object
 * taken for writing (`Draft.edit`, `Draft.ghost`) counts as read whole: its old value may decide
 * what is written.
 *
 * Writes are the difference between the state before and after the step. States are built
 * copy-on-write, so an object that was not cloned is the same object and was not written; a
 * clone that ended equal is still counted (sound, coarser). A page's reference bookkeeping
 * (count, holders, pins, where its dirt came from, I/O in flight) is written as `pageref:N`
 * apart from the rest of the page (`page:N`), because the state invariants read only the latter:
 * a get or put of a page is then not visible to them, and a step that only looks at a page's
 * flags does not conflict with another thread taking a reference to it.
 * Thread-local data (frames, locals, structs) is the thread's own: a step writes `thread:T` only
 * for its own thread (every step moves it) and for threads it starts or retires.
 */
import { keysOf, threadNamed, type Page, type State, type Thread } from './state';

type Coll = 'pages' | 'mappings' | 'inodes' | 'files' | 'vmas' | 'mms' | 'iocbs' | 'disk' | 'locks';

/** Collection → the prefix of its objects' ids. */
export const KIND: Record<Coll, string> = {
  pages: 'page', mappings: 'mapping', inodes: 'inode', files: 'file', vmas: 'vma', mms: 'mm', iocbs: 'iocb', disk: 'disk', locks: 'lock',
};
const COLLS = Object.keys(KIND) as Coll[];

/**
 * The collections' membership ids (written when a key is added or removed): writes of two of
 * them commute (System.commuting), since no step's outcome and no state key depends on the order
 * keys were added (ids are numeric and enumerate in order; lock names are sorted in keys).
 */
export const MEMBERSHIPS: readonly string[] = COLLS;

/** Page fields the state invariants do not read (invariants.ts): written as `pageref:N`. */
const REF_FIELDS = new Set<keyof Page>(['count', 'holders', 'pins', 'dirtOrigin', 'reading', 'writeback']);

/** Object ids by kind and key, built once: a step records a read at every field it looks at,
 *  and building the id text each time was a good share of a step's cost. */
const idTexts = new Map<string, Map<string | number, string>>();
export function idText(kind: string, k: string | number): string {
  let byKey = idTexts.get(kind);
  if (!byKey) idTexts.set(kind, (byKey = new Map()));
  let id = byKey.get(k);
  if (id === undefined) {
    id = `${kind}:${k}`;
    // Bounded: ids come from the scenario (pages, threads, locks), a handful per search.
    if (byKey.size < 4096) byKey.set(k, id);
  }
  return id;
}

/**
 * A view of `target` (the draft's state, whose collections the draft may replace by copies as the
 * step goes) that records what is read into `reads`. Writes go through the draft, never the view.
 * The proxies' handlers are small class instances with their traps on the prototype: handler
 * literals made a closure per trap for every collection and page a step looked at.
 */
export function trackedView(target: State, reads: Set<string>): State {
  return new Proxy(target, new StateHandler(new Recorder(reads)));
}

/** One step's recording: the reads, and the views made so far (one per object, so a view read
 *  twice is the same object). A Map, not a WeakMap: it lives for one step, and weak maps cost
 *  the collector more. */
class Recorder {
  readonly views = new Map<object, object>();
  private pages: PageHandler | undefined;
  constructor(readonly reads: Set<string>) {}

  /** A page read field by field: its reference bookkeeping is `pageref:N`, the rest `page:N`. */
  page(p: Page): Page {
    let v = this.views.get(p) as Page | undefined;
    if (!v) {
      v = new Proxy(p, (this.pages ??= new PageHandler(this.reads)));
      this.views.set(p, v);
    }
    return v;
  }

  collection(kind: string, membership: string, c: Record<string, unknown>): object {
    let v = this.views.get(c);
    if (!v) {
      v = new Proxy(c, new CollectionHandler(this, kind, membership));
      this.views.set(c, v);
    }
    return v;
  }

  threads(a: Thread[]): Thread[] {
    let v = this.views.get(a) as Thread[] | undefined;
    if (!v) {
      v = new Proxy(a, new ThreadsHandler(this.reads));
      this.views.set(a, v);
    }
    return v;
  }
}

class StateHandler implements ProxyHandler<State> {
  constructor(private readonly rec: Recorder) {}
  get(t: State, k: string | symbol): unknown {
    const v = Reflect.get(t, k);
    if (typeof k !== 'string') return v;
    if (k === 'threads') return this.rec.threads(v as Thread[]);
    if (k in KIND) return this.rec.collection(KIND[k as Coll], k, v as Record<string, unknown>);
    this.rec.reads.add(k);
    return v;
  }
  set(): boolean {
    throw new Error('state written through the read view: go through the Draft');
  }
}

class CollectionHandler implements ProxyHandler<Record<string, unknown>> {
  constructor(private readonly rec: Recorder, private readonly kind: string, private readonly membership: string) {}
  get(t: Record<string, unknown>, k: string | symbol): unknown {
    const x = Reflect.get(t, k);
    if (typeof k === 'string') {
      this.rec.reads.add(idText(this.kind, k));
      if (this.kind === 'page' && x !== undefined) return this.rec.page(x as Page);
    }
    return x;
  }
  has(t: Record<string, unknown>, k: string | symbol): boolean {
    if (typeof k === 'string') this.rec.reads.add(idText(this.kind, k));
    return Reflect.has(t, k);
  }
  ownKeys(t: Record<string, unknown>): ArrayLike<string | symbol> {
    this.rec.reads.add(this.membership);
    return Reflect.ownKeys(t);
  }
}

/** One per step: which page is read is the target's id. */
class PageHandler implements ProxyHandler<Page> {
  constructor(private readonly reads: Set<string>) {}
  get(t: Page, k: string | symbol): unknown {
    if (typeof k === 'string') this.reads.add(idText(REF_FIELDS.has(k as keyof Page) ? 'pageref' : 'page', t.id));
    return Reflect.get(t, k);
  }
  ownKeys(t: Page): ArrayLike<string | symbol> {
    this.reads.add(idText('page', t.id));
    this.reads.add(idText('pageref', t.id));
    return Reflect.ownKeys(t);
  }
}

class ThreadsHandler implements ProxyHandler<Thread[]> {
  constructor(private readonly reads: Set<string>) {}
  get(t: Thread[], k: string | symbol): unknown {
    if (typeof k === 'string') {
      if (k === 'length') this.reads.add('threads');
      else if (k >= '0' && k <= '9\uffff') {
        const th = t[Number(k)];
        if (th) this.reads.add(idText('thread', th.name));
      }
    }
    return Reflect.get(t, k);
  }
}

/**
 * The ids a step read, as the list a footprint holds. A loop into an array of the right length:
 * spreading the set (`[...reads]`) went through the iterator protocol with a result object per
 * id, about 1.5 KB for twenty ids, more than the list itself by seven times.
 */
export function readList(reads: ReadonlySet<string>): string[] {
  const out = new Array<string>(reads.size);
  let i = 0;
  for (const k of reads) out[i++] = k;
  return out;
}

/** What a step changed, from the states before and after it (see the module comment). */
export function writtenBetween(a: State, b: State): string[] {
  const out: string[] = [];
  for (const c of COLLS) {
    const ca = a[c] as Record<string, unknown>;
    const cb = b[c] as Record<string, unknown>;
    if (ca === cb) continue;
    const kind = KIND[c];
    let members = false;
    const kb = keysOf(cb);
    for (let i = 0; i < kb.length; i++) {
      const k = kb[i];
      const x = ca[k];
      const y = cb[k];
      if (x === y) continue;
      if (x === undefined) members = true;
      if (c === 'pages' && x !== undefined) pageWrites(k, x as Page, y as Page, out);
      else out.push(idText(kind, k));
    }
    const ka = keysOf(ca);
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i];
      if (!(k in cb)) {
        members = true;
        out.push(idText(kind, k));
      }
    }
    if (members) out.push(c);
  }
  if (a.threads !== b.threads) threadWrites(a.threads, b.threads, out);
  if (a.ghost !== b.ghost) out.push('ghost');
  if (a.vars !== b.vars) out.push('vars');
  if (a.nextId !== b.nextId) out.push('nextId');
  if (a.clock !== b.clock) out.push('clock');
  return out;
}

/**
 * Threads started, retired or moved. Lists of a handful of threads, searched by name in place: a
 * map of the old list built for every step was a good part of what footprints allocated. The ids
 * come out in the order the map gave them (the new list's, then the retired ones').
 */
function threadWrites(a: readonly Thread[], b: readonly Thread[], out: string[]): void {
  if (a.length !== b.length) out.push('threads');
  for (let i = 0; i < b.length; i++) {
    const t = b[i];
    const o = threadNamed(a, t.name);
    if (o === undefined) out.push('threads');
    if (o !== t) out.push(idText('thread', t.name));
  }
  for (let i = 0; i < a.length; i++) {
    if (threadNamed(b, a[i].name) === undefined) out.push(idText('thread', a[i].name), 'threads');
  }
}

function pageWrites(id: string, x: Page, y: Page, out: string[]): void {
  let own = false;
  let ref = false;
  for (const f in y) {
    const k = f as keyof Page;
    if (x[k] === y[k]) continue;
    // Arrays and records are replaced when written (ptes, holders): compare their contents.
    if (typeof x[k] === 'object' && x[k] !== null && sameData(x[k], y[k])) continue;
    if (REF_FIELDS.has(k)) ref = true;
    else own = true;
  }
  if (own) out.push(idText('page', id));
  if (ref) out.push(idText('pageref', id));
}

/**
 * Equality of plain data (a page's ptes list, its holders), without serialising it: this runs for
 * every page a step copies, and the two texts it built were garbage at once. Key order counts, as
 * it did when the texts were compared.
 */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    // The state's arrays are dense (built by slice, push, filter): their keys are 0..length-1.
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameData((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}
