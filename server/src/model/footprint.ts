/**
 * Step footprints for partial-order reduction (DESIGN section 7): which shared objects a step read
 * and which it wrote, by id (`page:3`, `mapping:1`, `lock:mm:1.page_table_lock`, `thread:io1`...).
 *
 * Reads are recorded by a read-only view of the state that the step's code goes through
 * (`Draft.s`): every object fetched out of a collection is a read of that object, listing a
 * collection (Object.values, `Draft.ids`) is a read of its membership (`pages`, `threads`, ...),
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

/**
 * Which id a change of each page field writes: the fields the state invariants do not read
 * (invariants.ts) are `pageref:N`, the rest `page:N`. A record over every key of Page, so the
 * compiler asks where a new field belongs; pageWrites compares the fields one by one (the test of
 * footprints changes each field in turn and expects this id).
 */
const PAGE_FIELD_ID: Readonly<Record<keyof Page, 'page' | 'pageref'>> = {
  id: 'page', index: 'page', mapping: 'page', locked: 'page', uptodate: 'page', dirty: 'page', writeback: 'pageref',
  ptes: 'page', count: 'pageref', buffers: 'page', data: 'page', pins: 'pageref', dirtOrigin: 'pageref',
  holders: 'pageref', reading: 'pageref', error: 'page',
};
const REF_FIELDS = new Set<string>(Object.keys(PAGE_FIELD_ID).filter((k) => PAGE_FIELD_ID[k as keyof Page] === 'pageref'));

/** Object ids by kind and key, built once: a step records a read at every field it looks at,
 *  and building the id text each time was a good share of a step's cost. */
const idTexts = new Map<string, Map<string | number, string>>();

/** The cache of one kind's ids: a holder of many look-ups (a collection's view) keeps it. */
function idsOf(kind: string): Map<string | number, string> {
  let byKey = idTexts.get(kind);
  if (!byKey) idTexts.set(kind, (byKey = new Map()));
  return byKey;
}

function idIn(byKey: Map<string | number, string>, kind: string, k: string | number): string {
  let id = byKey.get(k);
  if (id === undefined) {
    id = `${kind}:${k}`;
    // Bounded: ids come from the scenario (pages, threads, locks), a handful per search.
    if (byKey.size < 4096) byKey.set(k, id);
  }
  return id;
}

export function idText(kind: string, k: string | number): string {
  return idIn(idsOf(kind), kind, k);
}

const PAGE_IDS = idsOf('page');
const PAGEREF_IDS = idsOf('pageref');
const THREAD_IDS = idsOf('thread');

export function pageId(id: number): string { return idIn(PAGE_IDS, 'page', id); }
export function pagerefId(id: number): string { return idIn(PAGEREF_IDS, 'pageref', id); }

/**
 * The ids one step read, each once, in the order first read (the footprint's order). A list
 * searched in place: a step reads two or three ids (the 1x2 shape's average is 2.4), and a Set
 * per step cost more to make than the search costs; past SMALL ids a Set takes the look-ups.
 */
export class ReadSet {
  readonly ids: string[] = [];
  private index: Set<string> | undefined;

  add(id: string): void {
    const ids = this.ids;
    if (this.index !== undefined) {
      if (this.index.has(id)) return;
      this.index.add(id);
    } else {
      for (let i = 0; i < ids.length; i++) if (ids[i] === id) return;
      if (ids.length === SMALL) this.index = new Set(ids).add(id);
    }
    ids.push(id);
  }

  has(id: string): boolean {
    return this.index !== undefined ? this.index.has(id) : this.ids.includes(id);
  }
}
const SMALL = 32;

/**
 * A view of `target` (the draft's state, whose collections the draft may replace by copies as the
 * step goes) that records what is read into `reads`. Writes go through the draft, never the view.
 */
export function trackedView(target: State, reads: ReadSet): State {
  return new StateView(target, reads);
}

/**
 * The state's view: an accessor per field of State (a class, not a Proxy: the fields are fixed,
 * and a getter costs a field read where a Proxy's trap cost a call through the runtime, and the
 * Proxy, its handler and a map of views were made for every step). `implements State` makes the
 * compiler ask for an accessor for each field the state gains. A collection, a page or the thread
 * list is handed out through a view of its own (a Proxy, its keys being data), one per object so
 * that a view read twice is the same object; the views made so far are kept in a list searched in
 * place (a step looks at one or two collections and a page or two).
 * Limit: the accessors are the class's, not the view's own properties, and its own fields are
 * private: a spread or `Object.keys` of the view gives nothing (take `Draft.state` for a copy).
 */
class StateView implements State {
  /** Objects viewed and their views, alternately. */
  readonly #views: object[] = [];
  #pageHandler: PageHandler | undefined;
  readonly #t: State;
  readonly #reads: ReadSet;
  constructor(t: State, reads: ReadSet) {
    this.#t = t;
    this.#reads = reads;
  }

  /** Where the views of the collections record. */
  record(id: string): void { this.#reads.add(id); }

  get pages(): State['pages'] { return this.collection('pages', this.#t.pages); }
  get mappings(): State['mappings'] { return this.collection('mappings', this.#t.mappings); }
  get inodes(): State['inodes'] { return this.collection('inodes', this.#t.inodes); }
  get files(): State['files'] { return this.collection('files', this.#t.files); }
  get vmas(): State['vmas'] { return this.collection('vmas', this.#t.vmas); }
  get mms(): State['mms'] { return this.collection('mms', this.#t.mms); }
  get iocbs(): State['iocbs'] { return this.collection('iocbs', this.#t.iocbs); }
  get disk(): State['disk'] { return this.collection('disk', this.#t.disk); }
  get locks(): State['locks'] { return this.collection('locks', this.#t.locks); }
  get threads(): Thread[] {
    const a = this.#t.threads;
    return (this.viewOf(a) ?? this.keep(a, new Proxy(a, new ThreadsHandler(this.#reads)))) as Thread[];
  }
  get ghost(): State['ghost'] { this.#reads.add('ghost'); return this.#t.ghost; }
  get nextId(): number { this.#reads.add('nextId'); return this.#t.nextId; }
  get clock(): number { this.#reads.add('clock'); return this.#t.clock; }
  get vars(): State['vars'] { this.#reads.add('vars'); return this.#t.vars; }
  set pages(_: unknown) { readOnly(); }
  set mappings(_: unknown) { readOnly(); }
  set inodes(_: unknown) { readOnly(); }
  set files(_: unknown) { readOnly(); }
  set vmas(_: unknown) { readOnly(); }
  set mms(_: unknown) { readOnly(); }
  set iocbs(_: unknown) { readOnly(); }
  set disk(_: unknown) { readOnly(); }
  set locks(_: unknown) { readOnly(); }
  set threads(_: unknown) { readOnly(); }
  set ghost(_: unknown) { readOnly(); }
  set nextId(_: unknown) { readOnly(); }
  set clock(_: unknown) { readOnly(); }
  set vars(_: unknown) { readOnly(); }

  private viewOf(o: object): object | undefined {
    const v = this.#views;
    for (let i = 0; i < v.length; i += 2) if (v[i] === o) return v[i + 1];
    return undefined;
  }

  private keep(o: object, view: object): object {
    this.#views.push(o, view);
    return view;
  }

  private collection<T extends object>(c: Coll, o: T): T {
    return (this.viewOf(o) ?? this.keep(o, new Proxy(o as Record<string, unknown>, new CollectionHandler(this, KIND[c], c)))) as T;
  }

  /** A page read field by field: its reference bookkeeping is `pageref:N`, the rest `page:N`. */
  page(p: Page): Page {
    return (this.viewOf(p) ?? this.keep(p, new Proxy(p, (this.#pageHandler ??= new PageHandler(this.#reads))))) as Page;
  }
}

function readOnly(): never {
  throw new Error('state written through the read view: go through the Draft');
}

class CollectionHandler implements ProxyHandler<Record<string, unknown>> {
  private readonly ids: Map<string | number, string>;
  constructor(private readonly view: StateView, private readonly kind: string, private readonly membership: string) {
    this.ids = idsOf(kind);
  }
  get(t: Record<string, unknown>, k: string | symbol): unknown {
    const x = t[k as string];
    if (typeof k === 'string') {
      this.view.record(idIn(this.ids, this.kind, k));
      if (x !== undefined && this.kind === 'page') return this.view.page(x as Page);
    }
    return x;
  }
  has(t: Record<string, unknown>, k: string | symbol): boolean {
    if (typeof k === 'string') this.view.record(idIn(this.ids, this.kind, k));
    return k in t;
  }
  ownKeys(t: Record<string, unknown>): ArrayLike<string | symbol> {
    this.view.record(this.membership);
    return Reflect.ownKeys(t);
  }
}

/** One per step: which page is read is the target's id. */
class PageHandler implements ProxyHandler<Page> {
  constructor(private readonly reads: ReadSet) {}
  get(t: Page, k: string | symbol): unknown {
    if (typeof k === 'string') this.reads.add(REF_FIELDS.has(k) ? pagerefId(t.id) : pageId(t.id));
    return t[k as keyof Page];
  }
  ownKeys(t: Page): ArrayLike<string | symbol> {
    this.reads.add(pageId(t.id));
    this.reads.add(pagerefId(t.id));
    return Reflect.ownKeys(t);
  }
}

class ThreadsHandler implements ProxyHandler<Thread[]> {
  constructor(private readonly reads: ReadSet) {}
  get(t: Thread[], k: string | symbol): unknown {
    if (typeof k === 'string') {
      if (k === 'length') this.reads.add('threads');
      else if (k >= '0' && k <= '9\uffff') {
        const th = t[Number(k)];
        if (th) this.reads.add(idIn(THREAD_IDS, 'thread', th.name));
      }
    }
    return Reflect.get(t, k);
  }
}

/** The ids a step read, as the list a footprint holds (trimmed to its length: footprints are kept). */
export function readList(reads: ReadSet): string[] {
  return reads.ids.slice();
}

/**
 * What a step changed, from the states before and after it (see the module comment). One line per
 * collection, in a fixed order (the footprint's): a loop over the collections' names read each
 * through a keyed look-up on the state, twice per collection and step.
 */
export function writtenBetween(a: State, b: State): string[] {
  const out: string[] = [];
  if (a.pages !== b.pages) collectionWrites(a.pages, b.pages, 'pages', out);
  if (a.mappings !== b.mappings) collectionWrites(a.mappings, b.mappings, 'mappings', out);
  if (a.inodes !== b.inodes) collectionWrites(a.inodes, b.inodes, 'inodes', out);
  if (a.files !== b.files) collectionWrites(a.files, b.files, 'files', out);
  if (a.vmas !== b.vmas) collectionWrites(a.vmas, b.vmas, 'vmas', out);
  if (a.mms !== b.mms) collectionWrites(a.mms, b.mms, 'mms', out);
  if (a.iocbs !== b.iocbs) collectionWrites(a.iocbs, b.iocbs, 'iocbs', out);
  if (a.disk !== b.disk) collectionWrites(a.disk, b.disk, 'disk', out);
  if (a.locks !== b.locks) collectionWrites(a.locks, b.locks, 'locks', out);
  if (a.threads !== b.threads) threadWrites(a.threads, b.threads, out);
  if (a.ghost !== b.ghost) out.push('ghost');
  if (a.vars !== b.vars) out.push('vars');
  if (a.nextId !== b.nextId) out.push('nextId');
  if (a.clock !== b.clock) out.push('clock');
  return out;
}

/** The objects of a copied collection that changed, came or went, then its membership if it changed. */
function collectionWrites(ca: Record<string, unknown>, cb: Record<string, unknown>, c: Coll, out: string[]): void {
  const kind = KIND[c];
  const ids = idsOf(kind);
  let members = false;
  const kb = keysOf(cb);
  for (let i = 0; i < kb.length; i++) {
    const k = kb[i];
    const x = ca[k];
    const y = cb[k];
    if (x === y) continue;
    if (x === undefined) members = true;
    if (c === 'pages' && x !== undefined) pageWrites(k, x as Page, y as Page, out);
    else out.push(idIn(ids, kind, k));
  }
  const ka = keysOf(ca);
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (!(k in cb)) {
      members = true;
      out.push(idIn(ids, kind, k));
    }
  }
  if (members) out.push(c);
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

/**
 * `page:N` and `pageref:N` as the page's fields changed (PAGE_FIELD_ID), field by field: a loop
 * over the page's keys read each through a keyed look-up. The lists and records (ptes, holders)
 * are replaced when written, and a copied page has its own: their contents are compared.
 */
function pageWrites(id: string, x: Page, y: Page, out: string[]): void {
  const own = x.id !== y.id || x.index !== y.index || x.mapping !== y.mapping || x.locked !== y.locked ||
    x.uptodate !== y.uptodate || x.dirty !== y.dirty || x.buffers !== y.buffers || x.data !== y.data || x.error !== y.error ||
    (x.ptes !== y.ptes && !sameData(x.ptes, y.ptes));
  const ref = x.writeback !== y.writeback || x.count !== y.count || x.pins !== y.pins || x.dirtOrigin !== y.dirtOrigin ||
    x.reading !== y.reading || (x.holders !== y.holders && !sameData(x.holders, y.holders));
  if (own) out.push(idIn(PAGE_IDS, 'page', id));
  if (ref) out.push(idIn(PAGEREF_IDS, 'pageref', id));
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
