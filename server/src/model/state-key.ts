/**
 * Keys for the explorer's visited set: equal keys mean equal states (the counters that do not
 * influence the future — step budgets, progress — left out).
 *
 * A state is built copy-on-write, so most of its objects (pages, ptes, threads that did not move)
 * are shared with the state it came from. The keys are hash-consed on that sharing: each object's
 * text is a short sequence of numbers (key-texts.ts), interned as a number; a state's key is the
 * list of its objects' numbers, interned in turn. An object the state shares with the one it came
 * from is found by identity among that state's parts (`KeyParts`), a comparison; the few a step
 * wrote are written out, their nested plain data found by identity in a weak map.
 *
 * One table per search: its numbers mean nothing outside it, and it holds every distinct text the
 * search met (dropped with the search). Limit: page and struct ids come from an allocation
 * counter, so two schedules that allocate in a different order give different keys.
 */
import { KeyTexts } from './key-texts';
import { keysOf, type Frame, type Page, type State, type Thread } from './state';

/**
 * Text of a primitive of the state (a number, a bigint, a string, a flag, null), written by hand
 * (JSON.stringify with a replacer, needed for bigints, was the largest single cost of keying):
 * bigints, numbers and strings stay apart. Interned as a string, so its number is never a unit
 * text's (key-texts.ts).
 */
function primitiveText(v: unknown): string {
  switch (typeof v) {
    case 'bigint': return `${v}n`;
    case 'number': return String(v);
    case 'boolean': return v ? 'T' : 'F';
    case 'string': return JSON.stringify(v);
    case 'object': if (v === null) return 'N'; break;
  }
  return 'U';
}

/**
 * How a field of the state is numbered (`StateKeys.field`): a collection of named keys (locks),
 * of pages, of plain data by id; or plain data itself (`StateKeys.number`).
 */
const NAMED = 0;
const PAGES = 1;
const PLAIN = 2;
const DATA = 3;

/**
 * Every field of a state, in the order `StateKeys.key` writes them: a field added to `State`
 * fails the typecheck until it is listed here (then keyed there), and test/model/state-key.test.ts
 * checks that changing any field listed here changes the key.
 */
export const STATE_FIELDS = [
  'pages', 'mappings', 'inodes', 'files', 'vmas', 'mms', 'iocbs', 'disk', 'locks', 'ghost', 'vars', 'threads', 'nextId', 'clock',
] as const;
type UnkeyedStateField = Exclude<keyof State, (typeof STATE_FIELDS)[number]>;
/** Fails to typecheck, naming the field, while a field of `State` is missing from STATE_FIELDS. */
export const everyStateFieldKeyed: [UnkeyedStateField] extends [never] ? true : UnkeyedStateField = true;

/** Tags opening an object's text in `StateKeys.number`: each says what follows. */
const ARRAY = 1;
const OBJECT = 2;

/**
 * Every field of a page, in `makePage`'s order: a field added to `Page` fails the typecheck
 * until it is listed here, and test/model/state-key.test.ts checks that changing any field listed
 * here changes the page's number (`StateKeys.page` writes them by hand, positionally).
 */
export const PAGE_FIELDS = [
  'id', 'index', 'mapping', 'locked', 'uptodate', 'dirty', 'writeback', 'ptes', 'count', 'buffers', 'data', 'pins',
  'dirtOrigin', 'reading', 'holders', 'error',
] as const;
type UnkeyedPageField = Exclude<keyof Page, (typeof PAGE_FIELDS)[number]>;
/** Fails to typecheck, naming the field, while a field of `Page` is missing from PAGE_FIELDS. */
export const everyPageFieldKeyed: [UnkeyedPageField] extends [never] ? true : UnkeyedPageField = true;

/** State fields keyed by `StateKeys.field` (all but threads, nextId and clock), as places of `KeyParts`. */
const FIELD_PLACES = 11;

/**
 * The objects a state's key was made of, each beside its number: its fields' values (the
 * FIELD_PLACES of `StateKeys.key`), then its threads in order, as [object, number, ...], after
 * the table that numbered them (parts are read only by that table: numbers mean nothing in
 * another, and a wrapper state could be keyed by a system other than its own). A state
 * shares all but what a step wrote with the state it came from, so its key reads that state's
 * parts: an object at the same place is the same object, and its number is beside it (a
 * comparison, where an identity table costs a hash probe, and an entry per object the collector
 * has to trace). Sound as an identity table is: a published state's objects never change.
 */
export type KeyParts = readonly unknown[];

/** Frames and locals remembered per place (`Near`): deeper ones are written again when met. */
const FRAMES_NEAR = 8;

/**
 * The frames, locals and pages last met at each place (a frame of a thread, a page of the pages
 * collection), with their numbers: a thread or collection the step wrote is written again, and
 * most of what it holds is what the last one at its place held (the frames below the top, the
 * pages the step did not touch). Sound as `KeyParts` are.
 */
class Near {
  readonly frames: (Frame | undefined)[] = [];
  readonly frameNumbers: number[] = [];
  readonly locals: (LocalsNear | undefined)[] = [];
  readonly pages: (Page | undefined)[] = [];
  readonly pageNumbers: number[] = [];
}

/** The locals last written at a frame's place, in order: names and values beside their numbers. */
class LocalsNear {
  readonly names: string[] = [];
  readonly nameNumbers: number[] = [];
  readonly values: unknown[] = [];
  readonly valueNumbers: number[] = [];
}

export class StateKeys {
  /** Plain data by identity (`number`). */
  private readonly objects = new WeakMap<object, number>();
  /** Primitives by value (1, 1n and '1' are three keys): their texts are built once, not per use. */
  private readonly primitives = new Map<unknown, number>();
  private readonly units = new KeyTexts();
  private readonly near = new Near();
  private last: KeyParts | undefined;

  /**
   * The key of a state: the numbers of its fields' values in STATE_FIELDS' order, written as
   * code units: the threads by count then one number each, the scalars by `scalar`, `vars` as 0
   * when absent and its number + 1 when present, and `extra` (the violations the step into the
   * state raised) as one more number at the end; so a key reads back as its state. The key is
   * that text's number (the searches' maps hash and compare a small integer without reading
   * anything from the heap); the caller keeps it (verdict/scenario-system.ts,
   * on its own state wrapper), and the state's parts (`parts`) for keying its successors. `from`:
   * the parts of the state this one came from, else those of the state keyed last are read.
   */
  key(s: State, extra?: string, from?: KeyParts): number {
    const was = from !== undefined && from[0] === this ? from : this.last;
    const ts = s.threads;
    const parts = new Array<unknown>(1 + 2 * (FIELD_PLACES + ts.length));
    parts[0] = this;
    const u = this.units;
    const start = u.top;
    u.put(this.field(0, s.pages, PAGES, was, parts));
    u.put(this.field(1, s.mappings, PLAIN, was, parts));
    u.put(this.field(2, s.inodes, PLAIN, was, parts));
    u.put(this.field(3, s.files, PLAIN, was, parts));
    u.put(this.field(4, s.vmas, PLAIN, was, parts));
    u.put(this.field(5, s.mms, PLAIN, was, parts));
    u.put(this.field(6, s.iocbs, PLAIN, was, parts));
    u.put(this.field(7, s.disk, DATA, was, parts));
    u.put(this.field(8, s.locks, NAMED, was, parts));
    u.put(this.field(9, s.ghost, DATA, was, parts));
    u.put(s.vars === undefined ? 0 : this.field(10, s.vars, PLAIN, was, parts) + 1);
    u.put(ts.length);
    for (let i = 0, at = 1 + 2 * FIELD_PLACES; i < ts.length; i++, at += 2) {
      const t = ts[i];
      const n = was !== undefined && was[at] === t ? was[at + 1] as number : this.thread(t, i);
      parts[at] = t;
      parts[at + 1] = n;
      u.put(n);
    }
    this.scalar(s.nextId);
    this.scalar(s.clock);
    if (extra !== undefined) u.put(this.intern(`\u0001${extra}`));
    this.last = parts;
    return u.text(start);
  }

  /** The parts of the state keyed last (`KeyParts`). */
  get parts(): KeyParts | undefined {
    return this.last;
  }

  /** The number of the state's field at `place`, an object of that kind, written into `parts`. */
  private field(place: number, v: object, kind: typeof NAMED | typeof PAGES | typeof PLAIN | typeof DATA, was: KeyParts | undefined, parts: unknown[]): number {
    const at = 1 + 2 * place;
    const n = was !== undefined && was[at] === v ? was[at + 1] as number
      : kind === DATA ? this.number(v) : this.collection(v as Record<string, unknown>, kind);
    parts[at] = v;
    parts[at + 1] = n;
    return n;
  }

  /**
   * A collection (pages, mms, ...): its ids and their objects' numbers. Numeric ids enumerate in
   * order; named keys (locks) are sorted, so the order they were taken in is not state.
   */
  private collection(c: Record<string, unknown>, kind: typeof NAMED | typeof PAGES | typeof PLAIN): number {
    const ids = kind === NAMED ? Object.keys(c).sort() : keysOf(c);
    const u = this.units;
    const start = u.top;
    const near = this.near;
    for (let i = 0; i < ids.length; i++) {
      u.put(this.intern(ids[i]));
      if (kind === PAGES) {
        const p = c[ids[i]] as Page;
        if (near.pages[i] !== p) {
          near.pages[i] = p;
          near.pageNumbers[i] = this.page(p);
        }
        u.put(near.pageNumbers[i]);
      } else u.put(this.number(c[ids[i]]));
    }
    return u.text(start);
  }

  /** Distinct texts interned so far (for benchmarks). */
  get size(): number {
    return this.units.size;
  }

  /**
   * A thread: every field but the step counters (steps, progress). Args, wait, task and ret are
   * shared by the thread's copies, so they are numbered by identity (`number`). An optional
   * field is 0 when absent and its number + 1 when present; counts come before lists.
   */
  private thread(t: Thread, slot: number): number {
    const u = this.units;
    const start = u.top;
    u.put(this.intern(t.name));
    u.put(this.intern(t.status));
    u.put(this.intern(t.entry));
    u.put((t.repeat ? 1 : 0) | (t.restarted ? 2 : 0) | (t.spawned ? 4 : 0) | (t.exhausted ? 8 : 0));
    // Spin keys inline, by count: the list is copied with the thread.
    u.put(t.spins.length);
    for (let i = 0; i < t.spins.length; i++) u.put(this.primitive(t.spins[i]));
    u.put(this.number(t.args));
    u.put(t.wait ? this.number(t.wait) + 1 : 0);
    u.put(t.task ? this.number(t.task) + 1 : 0);
    u.put(t.ret === undefined ? 0 : this.number(t.ret) + 1);
    u.put(t.weak ? this.number(t.weak) + 1 : 0);
    const frames = t.frames;
    u.put(frames.length);
    const near = this.near;
    for (let i = 0; i < frames.length; i++) {
      // Frames by place: below the top they are those of the thread's last copy.
      const f = frames[i];
      if (i >= FRAMES_NEAR) u.put(this.frame(f, -1));
      else {
        const at = slot * FRAMES_NEAR + i;
        if (near.frames[at] !== f) {
          near.frames[at] = f;
          near.frameNumbers[at] = this.frame(f, at);
        }
        u.put(near.frameNumbers[at]);
      }
    }
    for (const id in t.structs) {
      u.put(this.intern(id));
      u.put(this.number(t.structs[id]));
    }
    return u.text(start);
  }

  /**
   * A frame: its function, its pc, its locals written inline (per local holding something
   * other than `undefined`, its name's number + 1 and its value's number, then 0: the text
   * `number` gives a plain object, written in place rather than interned apart), its args
   * and its blocker. A frame is written when a step changed it, mostly one local or none: the
   * locals last written at its place (`at`, unless -1) are kept, name and value beside their
   * numbers, and a local that is the same value under the same name at the same position is
   * written without a look-up.
   */
  private frame(f: Frame, at: number): number {
    const u = this.units;
    const start = u.top;
    u.put(this.intern(f.fn));
    u.put(f.pc);
    const locals = f.locals;
    if (at < 0) {
      for (const k in locals) {
        const x = locals[k];
        if (x === undefined) continue;
        u.put(this.intern(k) + 1);
        u.put(this.value(x));
      }
    } else {
      const near = this.near;
      const was = near.locals[at] ?? (near.locals[at] = new LocalsNear());
      let i = 0;
      for (const k in locals) {
        const x = locals[k];
        if (x === undefined) continue;
        if (was.names[i] !== k) {
          was.names[i] = k;
          was.nameNumbers[i] = this.intern(k) + 1;
        }
        // A value's number does not depend on the name it is under: no need to forget it.
        if (was.values[i] !== x) {
          was.values[i] = x;
          was.valueNumbers[i] = this.value(x);
        }
        u.put(was.nameNumbers[i]);
        u.put(was.valueNumbers[i]);
        i++;
      }
    }
    u.put(0);
    u.put(f.args ? this.number(f.args) + 1 : 0);
    u.put(f.blocker ? this.intern(f.blocker) + 1 : 0);
    return u.text(start);
  }

  /** A local's value: `number`'s, without remembering a new object (frames remember their values). */
  private value(x: unknown): number {
    if (typeof x !== 'object' || x === null) return this.primitive(x);
    return this.objects.get(x) ?? this.plain(x);
  }

  /**
   * The number of plain state data (values, locals, ghosts, mappings...): equal numbers iff equal
   * data. Each object is numbered once by identity (in `objects`), nested ones included, so a
   * copy that shares a nested object (a frame's locals share their refs and lists, a copied
   * record its unchanged parts) finds that object's number with one look-up. Its text: an array
   * is ARRAY, its length and its elements' numbers; any other object OBJECT, then per property
   * holding something other than `undefined` (left out, as JSON does) its name's number + 1 and
   * its value's number, then 0. Property order counts. One encoding per value, so by induction on
   * depth equal data has equal texts, hence equal numbers, and different data different texts.
   * A primitive's number is its text's (`primitiveText`), and no such text is a unit text.
   */
  number(o: unknown): number {
    if (typeof o !== 'object' || o === null) return this.primitive(o);
    let n = this.objects.get(o);
    if (n === undefined) {
      n = this.plain(o);
      this.objects.set(o, n);
    }
    return n;
  }

  /** The number of plain data `number` has not met: its text written and interned. */
  private plain(o: object): number {
    const u = this.units;
    const start = u.top;
    if (Array.isArray(o)) {
      u.put(ARRAY);
      u.put(o.length);
      for (let i = 0; i < o.length; i++) u.put(this.number(o[i]));
    } else {
      u.put(OBJECT);
      for (const k in o) {
        const x = (o as Record<string, unknown>)[k];
        if (x === undefined) continue;
        u.put(this.intern(k) + 1);
        u.put(this.number(x));
      }
      u.put(0);
    }
    return u.text(start);
  }

  /**
   * A page, positionally in PAGE_FIELDS' order: the flags (booleans by their type) as one bit
   * mask, the other fields by `scalar`, the ptes by count, the holders by name and count in
   * their order, then 0 (a holder whose count is `undefined` left out, as `number` does). Every
   * page is built by `makePage` with these fields in that order, so two pages have equal texts
   * iff `number` would give them equal numbers; this one writes no names and looks no small
   * integer up.
   */
  page(p: Page): number {
    const u = this.units;
    const start = u.top;
    this.scalar(p.id);
    this.scalar(p.index);
    this.scalar(p.mapping);
    this.scalar(p.locked);
    u.put((p.uptodate ? 1 : 0) | (p.dirty ? 2 : 0) | (p.writeback ? 4 : 0) | (p.reading ? 8 : 0) | (p.error ? 16 : 0));
    const ptes = p.ptes;
    u.put(ptes.length);
    for (let i = 0; i < ptes.length; i++) this.scalar(ptes[i]);
    this.scalar(p.count);
    this.scalar(p.buffers);
    this.scalar(p.data);
    this.scalar(p.pins);
    this.scalar(p.dirtOrigin);
    const holders = p.holders;
    for (const k in holders) {
      const x = holders[k];
      if (x === undefined) continue;
      u.put(this.intern(k) + 1);
      this.scalar(x);
    }
    u.put(0);
    return u.text(start);
  }

  /**
   * A primitive in a place that holds one: an integer from -1 below 2^30 - 2 as itself + 2
   * (written, not looked up), null as 1, anything else as 0 and its number. -0 is 0, as its
   * text is.
   */
  private scalar(v: unknown): void {
    const u = this.units;
    if (typeof v === 'number' && (v | 0) === v && v >= -1 && v < 0x3ffffffe) u.put(v + 2);
    else if (v === null) u.put(1);
    else {
      u.put(0);
      u.put(this.primitive(v));
    }
  }

  private primitive(v: unknown): number {
    let n = this.primitives.get(v);
    if (n === undefined) {
      n = this.intern(primitiveText(v));
      this.primitives.set(v, n);
    }
    return n;
  }

  private intern(text: string): number {
    return this.units.string(text);
  }
}
