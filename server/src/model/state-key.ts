/**
 * Keys for the explorer's visited set: equal keys mean equal states (the counters that do not
 * influence the future — step budgets, progress — left out).
 *
 * A state is built copy-on-write, so most of its objects (pages, ptes, threads that did not move)
 * are shared with the state it came from. The keys are hash-consed on that sharing: each object
 * is serialised once, the first time it is seen, and its text interned as a small number; a
 * state's key is then the short list of its objects' numbers. Keying a state costs a few WeakMap
 * look-ups instead of serialising everything, and the visited set hashes short strings (a few code
 * units per object, see `Units`).
 *
 * One table per search: its numbers mean nothing outside it, and it holds every distinct object
 * text the search met (dropped with the search). Limit: page and struct ids come from an
 * allocation counter, so two schedules that allocate in a different order give different keys.
 */
import { keysOf, type Frame, type State, type Thread } from './state';

/**
 * Text of a primitive of the state (a number, a bigint, a string, a flag, null), written by hand
 * (JSON.stringify with a replacer, needed for bigints, was the largest single cost of keying):
 * bigints, numbers and strings stay apart, and no such text starts with a control character, so
 * none is ever the text of an object (`StateKeys.plain`).
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

/** Tags opening a value's encoding in `StateKeys.plain`: each says what follows. */
const PRIMITIVE = 0;
const ARRAY = 1;
const OBJECT = 2;

/**
 * Keys and the texts of composite objects (threads, frames, collections, plain data) are sequences
 * of numbers written as UTF-16 code units: one unit below 0x8000, two from there (the first with
 * its top bit set), so a text reads back as its numbers and stays short (a thread is a dozen units
 * where its text used to be a line). Texts of one kind (a key, a thread...) read positionally: the
 * number at a place means the object of that place's kind whose text it was given to, so sharing
 * one table of texts across kinds is harmless.
 *
 * The units are written to one buffer used as a stack: an object's text is written at its top,
 * read off as a string and popped, and a text begun before it (its owner's) goes on where it was.
 * Lists of numbers per text, grown as they were filled, were most of what keying allocated, and
 * `String.fromCharCode.apply` copied its units once more; Node's UTF-16 decoding of the buffer's
 * bytes makes the string straight from them (a one-byte string when every unit fits a byte, as
 * fromCharCode did). The units are written in the machine's byte order and read as little-endian:
 * on a big-endian machine each unit would read byte-swapped, a fixed one-to-one change of every
 * text that keeps keys equal exactly when they were.
 */
class Units {
  private bytes = Buffer.allocUnsafeSlow(8192);
  private buf = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length >> 1);
  /** Where the next unit goes; a text begun at `start` is `buf[start, top)`. */
  top = 0;

  put(n: number): void {
    if (this.top + 2 > this.buf.length) {
      const bytes = Buffer.allocUnsafeSlow(this.bytes.length * 2);
      this.bytes.copy(bytes);
      this.bytes = bytes;
      this.buf = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    }
    if (n < 0x8000) this.buf[this.top++] = n;
    else if (n < 0x40000000) {
      this.buf[this.top++] = 0x8000 | (n >>> 15);
      this.buf[this.top++] = n & 0x7fff;
    } else throw new Error('state key table overflow');
  }

  /** The text of the units written since `start`, which are then popped. */
  text(start: number): string {
    const end = this.top;
    this.top = start;
    return this.bytes.toString('utf16le', start * 2, end * 2);
  }
}

export class StateKeys {
  private readonly texts = new Map<string, number>();
  private readonly objects = new WeakMap<object, number>();
  /** Primitives by value (1, 1n and '1' are three keys): their texts are built once, not per use. */
  private readonly primitives = new Map<unknown, number>();
  private readonly units = new Units();

  /**
   * The key of a state: per field, the field's number and its value's, written as code units
   * (`Units`). The caller keeps it (verdict/scenario-system.ts, on its own state wrapper): a
   * table of every state's key here was weak-map upkeep for the collector. `extra` (the violations
   * the step into the state raised) is one more number at the end. Injective: a field's number
   * says how many numbers follow (threads: their count, then one per thread; any other field: one).
   */
  key(s: State, extra?: string): string {
    const u = this.units;
    const start = u.top;
    for (const field in s) {
      const v = (s as unknown as Record<string, unknown>)[field];
      if (v === undefined) continue;
      u.put(this.intern(field));
      if (typeof v !== 'object' || v === null) u.put(this.primitive(v));
      else if (field === 'threads') {
        const ts = v as Thread[];
        u.put(ts.length);
        for (let i = 0; i < ts.length; i++) u.put(this.thread(ts[i]));
      } else if (field === 'locks') u.put(this.collection(v as Record<string, unknown>, true));
      else if (field === 'disk' || field === 'ghost') u.put(this.number(v));
      else u.put(this.collection(v as Record<string, unknown>));
    }
    if (extra !== undefined) u.put(this.intern(`\u0001${extra}`));
    return u.text(start);
  }

  /**
   * A collection (pages, mms, ...) is shared whole by states that did not touch it: its ids and
   * their objects' numbers. Numeric ids enumerate in order; named keys (locks) are sorted, so the
   * order they were taken in is not state.
   */
  private collection(c: Record<string, unknown>, sorted = false): number {
    let n = this.objects.get(c);
    if (n === undefined) {
      const ids = sorted ? Object.keys(c).sort() : keysOf(c);
      const u = this.units;
      const start = u.top;
      for (let i = 0; i < ids.length; i++) {
        u.put(this.intern(ids[i]));
        u.put(this.number(c[ids[i]]));
      }
      n = this.intern(u.text(start));
      this.objects.set(c, n);
    }
    return n;
  }

  /** Distinct object texts interned so far (for benchmarks). */
  get size(): number {
    return this.texts.size;
  }

  /** A thread is its scalars plus its frames and structs, each numbered on its own: a step
   *  changes the top frame, and the frames below keep their numbers. */
  private thread(t: Thread): number {
    let n = this.objects.get(t);
    if (n === undefined) {
      // Every field but the step counters (steps, progress); args, wait, task and ret are shared
      // by the thread's copies, so they are numbered by identity like frames. An optional field
      // is 0 when absent and its number + 1 when present; counts come before lists.
      const u = this.units;
      const start = u.top;
      u.put(this.intern(t.name));
      u.put(this.intern(t.status));
      u.put(this.intern(t.entry));
      u.put((t.repeat ? 1 : 0) | (t.restarted ? 2 : 0) | (t.spawned ? 4 : 0) | (t.exhausted ? 8 : 0));
      // Spin keys inline, by count: the list is copied with the thread, and numbering the copy
      // by identity would be one more weak-map entry per step.
      u.put(t.spins.length);
      for (let i = 0; i < t.spins.length; i++) u.put(this.primitive(t.spins[i]));
      u.put(this.number(t.args));
      u.put(t.wait ? this.number(t.wait) + 1 : 0);
      u.put(t.task ? this.number(t.task) + 1 : 0);
      u.put(t.ret === undefined ? 0 : this.number(t.ret) + 1);
      u.put(t.weak ? this.number(t.weak) + 1 : 0);
      u.put(t.frames.length);
      for (let i = 0; i < t.frames.length; i++) u.put(this.frame(t.frames[i]));
      for (const id in t.structs) {
        u.put(this.intern(id));
        u.put(this.number(t.structs[id]));
      }
      n = this.intern(u.text(start));
      this.objects.set(t, n);
    }
    return n;
  }

  /** A frame is its place plus its locals, which a step that only moves on leaves shared. */
  private frame(f: Frame): number {
    let n = this.objects.get(f);
    if (n === undefined) {
      const u = this.units;
      const start = u.top;
      u.put(this.intern(f.fn));
      u.put(f.pc);
      u.put(this.number(f.locals));
      u.put(f.args ? this.number(f.args) + 1 : 0);
      u.put(f.blocker ? this.intern(f.blocker) + 1 : 0);
      n = this.intern(u.text(start));
      this.objects.set(f, n);
    }
    return n;
  }

  /**
   * The number of plain state data (values, pages, locals, ghosts): equal numbers iff equal data.
   * An object is numbered once (by identity, in `objects`), its text written by `plain`.
   */
  number(o: unknown): number {
    if (typeof o !== 'object' || o === null) return this.primitive(o);
    let n = this.objects.get(o);
    if (n === undefined) {
      const start = this.units.top;
      this.plain(o);
      n = this.intern(this.units.text(start));
      this.objects.set(o, n);
    }
    return n;
  }

  /**
   * Writes plain data as units, nested objects inline (a nested object has one encoding, never
   * sometimes its own number: equal data must give equal texts): a primitive is PRIMITIVE and its
   * number; an array ARRAY, its length and its elements; an object OBJECT, then per property
   * holding something other than `undefined` (left out, as JSON does) its name's number + 1 and
   * its value, then 0. Property order counts. Every text starts with a tag below a space, so no
   * object's text is a primitive's (`primitiveText`).
   */
  private plain(v: unknown): void {
    const u = this.units;
    if (typeof v !== 'object' || v === null) {
      u.put(PRIMITIVE);
      u.put(this.primitive(v));
    } else if (Array.isArray(v)) {
      u.put(ARRAY);
      u.put(v.length);
      for (let i = 0; i < v.length; i++) this.plain(v[i]);
    } else {
      u.put(OBJECT);
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue;
        u.put(this.intern(k) + 1);
        this.plain(x);
      }
      u.put(0);
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
    let n = this.texts.get(text);
    if (n === undefined) {
      n = this.texts.size;
      this.texts.set(text, n);
    }
    return n;
  }
}
