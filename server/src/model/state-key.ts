/**
 * Keys for the explorer's visited set: equal keys mean equal states (the counters that do not
 * influence the future — step budgets, progress — left out).
 *
 * A state is built copy-on-write, so most of its objects (pages, ptes, threads that did not move)
 * are shared with the state it came from. The keys are hash-consed on that sharing: each object
 * is serialised once, the first time it is seen, and its text interned as a small number; a
 * state's key is then the short list of its objects' numbers. Keying a state costs a few WeakMap
 * look-ups instead of serialising everything, and the visited set hashes short strings (a few code
 * units per object, see `key`).
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

export class StateKeys {
  private readonly texts = new Map<string, number>();
  private readonly objects = new WeakMap<object, number>();

  /**
   * The key of a state: per field, the field's number and its value's, as UTF-16 code units
   * (below). The caller keeps it (verdict/scenario-system.ts, on its own state wrapper): a table
   * of every state's key here was weak-map upkeep for the collector. `extra` (the violations the
   * step into the state raised) is one more number at the end.
   * The key is built flat in one go: a key concatenated piece by piece is a rope, and the visited
   * set kept the rope's node beside its flattened text (a tenth of the live heap).
   * Injective: each number takes one code unit, or two for numbers from 0x8000 (the first with
   * its top bit set), so the key reads back as a sequence of numbers; a field's number says how
   * many numbers follow (threads: their count, then one per thread; any other field: one).
   */
  key(s: State, extra?: string): string {
    const out = this.codes;
    out.length = 0;
    for (const field in s) {
      const v = (s as unknown as Record<string, unknown>)[field];
      if (v === undefined) continue;
      this.put(this.intern(field));
      if (typeof v !== 'object' || v === null) this.put(this.intern(`=${String(v)}`));
      else if (field === 'threads') {
        const ts = v as Thread[];
        this.put(ts.length);
        for (let i = 0; i < ts.length; i++) this.put(this.thread(ts[i]));
      } else if (field === 'locks') this.put(this.collection(v as Record<string, unknown>, true));
      else if (field === 'disk' || field === 'ghost') this.put(this.number(v));
      else this.put(this.collection(v as Record<string, unknown>));
    }
    if (extra !== undefined) this.put(this.intern(`\u0001${extra}`));
    let key = '';
    // In slices: String.fromCharCode takes its units as arguments, and a stack has its limits.
    for (let i = 0; i < out.length; i += 4096) key += String.fromCharCode.apply(null, out.slice(i, i + 4096));
    return key;
  }

  /** The code units of the key being built (reused: one array per table, not per key). */
  private readonly codes: number[] = [];

  private put(n: number): void {
    if (n < 0x8000) this.codes.push(n);
    else if (n < 0x40000000) this.codes.push(0x8000 | (n >>> 15), n & 0x7fff);
    else throw new Error('state key table overflow');
  }

  /**
   * A collection (pages, mms, ...) is shared whole by states that did not touch it. Numeric ids
   * enumerate in order; named keys (locks) are sorted, so the order they were taken in is not state.
   */
  private collection(c: Record<string, unknown>, sorted = false): number {
    let n = this.objects.get(c);
    if (n === undefined) {
      const ids = Object.keys(c);
      if (sorted) ids.sort();
      let text = '';
      for (let i = 0; i < ids.length; i++) text += `${i ? ',' : ''}${ids[i]}:${this.number(c[ids[i]])}`;
      n = this.intern(text);
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
      // by the thread's copies, so they are numbered by identity like frames.
      let text = `${t.name}|${t.status}|${t.entry}|${t.repeat ? 1 : 0}${t.restarted ? 'R' : ''}${t.spawned ? 'S' : ''}${t.exhausted ? 'X' : ''}` +
        `|${t.spins.join(',')}|${this.number(t.args)}|${t.wait ? this.number(t.wait) : ''}|${t.task ? this.number(t.task) : ''}` +
        `|${t.ret === undefined ? '' : this.number(t.ret)}|${t.weak ? this.number(t.weak) : ''}|`;
      for (const f of t.frames) text += `${this.frame(f)},`;
      text += '|';
      for (const id in t.structs) text += `${id}:${this.number(t.structs[id])},`;
      n = this.intern(text);
      this.objects.set(t, n);
    }
    return n;
  }

  /** A frame is its place plus its locals, which a step that only moves on leaves shared. */
  private frame(f: Frame): number {
    let n = this.objects.get(f);
    if (n === undefined) {
      n = this.intern(`${f.fn}@${f.pc}#${this.number(f.locals)}${f.args ? `#${this.number(f.args)}` : ''}`);
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
