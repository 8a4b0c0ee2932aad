/**
 * Keys for the explorer's visited set: equal keys mean equal states (the counters that do not
 * influence the future — step budgets, progress — left out).
 *
 * A state is built copy-on-write, so most of its objects (pages, ptes, threads that did not move)
 * are shared with the state it came from. The keys are hash-consed on that sharing: each object
 * is serialised once, the first time it is seen, and its text interned as a small number; a
 * state's key is then the short list of its objects' numbers. Keying a state costs a few WeakMap
 * look-ups instead of serialising everything, and the visited set hashes short strings (a few code
 * units per object, see `unitsText`).
 *
 * One table per search: its numbers mean nothing outside it, and it holds every distinct object
 * text the search met (dropped with the search). Limit: page and struct ids come from an
 * allocation counter, so two schedules that allocate in a different order give different keys.
 */
import type { Frame, State, Thread } from './state';

/**
 * Text of plain state data (values, pages, locals, ghosts), written by hand: JSON.stringify with a
 * replacer (needed for bigints) was the largest single cost of keying. Injective on what the state
 * holds: strings are quoted, object keys (identifiers, thread names, struct ids) never hold a
 * quote, and properties holding `undefined` are left out as JSON does.
 */
export function plainText(v: unknown): string {
  switch (typeof v) {
    case 'bigint': return `${v}n`;
    case 'number': return String(v);
    case 'boolean': return v ? 'T' : 'F';
    case 'string': return JSON.stringify(v);
    case 'object': {
      if (v === null) return 'N';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + plainText(v[i]);
        return `${out}]`;
      }
      let out = '{';
      let first = true;
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue;
        out += `${first ? '' : ','}"${k}":${plainText(x)}`;
        first = false;
      }
      return `${out}}`;
    }
    default: return 'U';
  }
}

/**
 * Keys and the texts of composite objects (threads, frames, collections) are sequences of numbers
 * written as UTF-16 code units: one unit below 0x8000, two from there (the first with its top bit
 * set), so a text reads back as its numbers and stays short (a thread is a dozen units where its
 * text used to be a line). Texts of one kind (a key, a thread...) read positionally: the number at
 * a place means the object of that place's kind whose text it was given to, so sharing one table
 * of texts across kinds is harmless.
 */
function put(out: number[], n: number): void {
  if (n < 0x8000) out.push(n);
  else if (n < 0x40000000) out.push(0x8000 | (n >>> 15), n & 0x7fff);
  else throw new Error('state key table overflow');
}

/** The text of code units, built flat in one go: a text concatenated piece by piece is a rope,
 *  and the tables kept the rope's node beside its flattened text (a tenth of the live heap). */
function unitsText(units: number[]): string {
  if (units.length <= 4096) return String.fromCharCode.apply(null, units);
  let text = '';
  // In slices: String.fromCharCode takes its units as arguments, and a stack has its limits.
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode.apply(null, units.slice(i, i + 4096));
  return text;
}

export class StateKeys {
  private readonly texts = new Map<string, number>();
  private readonly objects = new WeakMap<object, number>();

  /**
   * The key of a state: per field, the field's number and its value's, written as code units
   * (`unitsText`). The caller keeps it (verdict/scenario-system.ts, on its own state wrapper): a
   * table of every state's key here was weak-map upkeep for the collector. `extra` (the violations
   * the step into the state raised) is one more number at the end. Injective: a field's number
   * says how many numbers follow (threads: their count, then one per thread; any other field: one).
   */
  key(s: State, extra?: string): string {
    const out: number[] = [];
    for (const field in s) {
      const v = (s as unknown as Record<string, unknown>)[field];
      if (v === undefined) continue;
      put(out, this.intern(field));
      if (typeof v !== 'object' || v === null) put(out, this.intern(`=${String(v)}`));
      else if (field === 'threads') {
        const ts = v as Thread[];
        put(out, ts.length);
        for (let i = 0; i < ts.length; i++) put(out, this.thread(ts[i]));
      } else if (field === 'locks') put(out, this.collection(v as Record<string, unknown>, true));
      else if (field === 'disk' || field === 'ghost') put(out, this.number(v));
      else put(out, this.collection(v as Record<string, unknown>));
    }
    if (extra !== undefined) put(out, this.intern(`\u0001${extra}`));
    return unitsText(out);
  }

  /**
   * A collection (pages, mms, ...) is shared whole by states that did not touch it: its ids and
   * their objects' numbers. Numeric ids enumerate in order; named keys (locks) are sorted, so the
   * order they were taken in is not state.
   */
  private collection(c: Record<string, unknown>, sorted = false): number {
    let n = this.objects.get(c);
    if (n === undefined) {
      const ids = Object.keys(c);
      if (sorted) ids.sort();
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        put(out, this.intern(ids[i]));
        put(out, this.number(c[ids[i]]));
      }
      n = this.intern(unitsText(out));
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
      const out: number[] = [];
      put(out, this.intern(t.name));
      put(out, this.intern(t.status));
      put(out, this.intern(t.entry));
      put(out, (t.repeat ? 1 : 0) | (t.restarted ? 2 : 0) | (t.spawned ? 4 : 0) | (t.exhausted ? 8 : 0));
      put(out, this.intern(t.spins.join(',')));
      put(out, this.number(t.args));
      put(out, t.wait ? this.number(t.wait) + 1 : 0);
      put(out, t.task ? this.number(t.task) + 1 : 0);
      put(out, t.ret === undefined ? 0 : this.number(t.ret) + 1);
      put(out, t.weak ? this.number(t.weak) + 1 : 0);
      put(out, t.frames.length);
      for (const f of t.frames) put(out, this.frame(f));
      for (const id in t.structs) {
        put(out, this.intern(id));
        put(out, this.number(t.structs[id]));
      }
      n = this.intern(unitsText(out));
      this.objects.set(t, n);
    }
    return n;
  }

  /** A frame is its place plus its locals, which a step that only moves on leaves shared. */
  private frame(f: Frame): number {
    let n = this.objects.get(f);
    if (n === undefined) {
      const out: number[] = [];
      put(out, this.intern(f.fn));
      put(out, f.pc);
      put(out, this.number(f.locals));
      put(out, f.args ? this.number(f.args) + 1 : 0);
      put(out, f.blocker ? this.intern(f.blocker) + 1 : 0);
      n = this.intern(unitsText(out));
      this.objects.set(f, n);
    }
    return n;
  }

  private number(o: unknown): number {
    if (typeof o !== 'object' || o === null) return this.intern(plainText(o));
    let n = this.objects.get(o);
    if (n === undefined) {
      n = this.intern(plainText(o));
      this.objects.set(o, n);
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
