/**
 * Footprints prepared for DPOR's dependency tests (dpor.ts), one table per search.
 *
 * A footprint names objects by text (`page:3`, `lock:mm:1.page_table_lock`); the table numbers
 * each object the first time it is met and an access holds its reads, writes and grows as bit
 * sets over those numbers, so a dependency test is a few word operations instead of set look-ups.
 * Accesses are interned (equal content, one object), and unions are remembered by pair: DPOR keeps
 * a union of accesses per thread for every visited state (its summary), and with interning those
 * unions are shared instead of each state holding sets of its own (they were most of the memory
 * a state cost). An object's numbers mean nothing outside its table.
 *
 * Limits: an access's bit sets are as long as the table was when it was made; shorter ones read as
 * zero beyond their end. The pair memo stops growing at JOIN_MEMO entries (unions are then built
 * each time, still interned).
 */
import type { Footprint } from './system';

/** A footprint prepared for fast dependency tests. `any` conflicts with everything. */
export interface Access {
  /** Its number in the table (interned: equal contents, one object). */
  readonly n: number;
  readonly reads: Uint32Array;
  readonly writes: Uint32Array;
  /** Writes of `System.commuting` objects: dependent on reads of them only. */
  readonly grows: Uint32Array;
  readonly visible: boolean;
  readonly any: boolean;
}

const JOIN_MEMO = 1 << 20;
const NONE = new Uint32Array(0);

/** Whether a and b share a bit. */
function meets(a: Uint32Array, b: Uint32Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if ((a[i] & b[i]) !== 0) return true;
  return false;
}

/** Whether every bit of b is in a. */
function within(b: Uint32Array, a: Uint32Array): boolean {
  for (let i = 0; i < b.length; i++) if ((b[i] & ~(i < a.length ? a[i] : 0)) !== 0) return false;
  return true;
}

function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = (i < a.length ? a[i] : 0) | (i < b.length ? b[i] : 0);
  return out;
}

/** Text of a bit set for interning, trailing zero words left out (lengths differ as the table grows). */
function text(s: Uint32Array): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === 0) end--;
  let out = '';
  for (let i = 0; i < end; i++) out += `${s[i].toString(36)}.`;
  return out;
}

export class AccessTable {
  /** Object text → its bit. */
  private readonly bits = new Map<string, number>();
  /** Per bit: a write of it is visible to the invariants. */
  private readonly observedBit: boolean[] = [];
  private readonly interned = new Map<string, Access>();
  private readonly joins = new Map<number, Access>();
  private count = 0;
  /** Conflicts with everything (a blocked thread whose wait the system does not name, an unknown future). */
  readonly any: Access;

  /**
   * `observed`: what the invariants read (`kind:*` observes every `kind:...`; undefined: every
   * write is visible). `commuting`: objects whose writes commute with each other (System.commuting).
   */
  constructor(private readonly observed: ReadonlySet<string> | undefined, private readonly commuting?: ReadonlySet<string>) {
    this.any = this.intern(NONE, NONE, NONE, true, true);
  }

  private bit(id: string): number {
    let b = this.bits.get(id);
    if (b === undefined) {
      b = this.bits.size;
      this.bits.set(id, b);
      this.observedBit[b] = this.observed === undefined || isObserved(id, this.observed);
    }
    return b;
  }

  private set(ids: readonly string[], keep: (id: string) => boolean): Uint32Array {
    if (ids.length === 0) return NONE;
    let out = NONE;
    for (const id of ids) {
      if (!keep(id)) continue;
      const b = this.bit(id);
      const w = b >>> 5;
      if (w >= out.length) {
        const grown = new Uint32Array(w + 1);
        grown.set(out);
        out = grown;
      }
      out[w] |= 1 << (b & 31);
    }
    return out;
  }

  /** The access of a step's footprint. */
  of(fp: Footprint): Access {
    const reads = this.set(fp.reads, () => true);
    const writes = this.set(fp.writes, (w) => !this.commuting?.has(w));
    const grows = this.commuting ? this.set(fp.writes, (w) => this.commuting!.has(w)) : NONE;
    let visible = false;
    for (const w of fp.writes) if (this.observedBit[this.bit(w)]) { visible = true; break; }
    return this.intern(reads, writes, grows, visible, false);
  }

  private intern(reads: Uint32Array, writes: Uint32Array, grows: Uint32Array, visible: boolean, any: boolean): Access {
    const key = `${any ? 'A' : visible ? 'V' : '-'}${text(reads)}|${text(writes)}|${text(grows)}`;
    let a = this.interned.get(key);
    if (!a) {
      a = { n: this.count++, reads, writes, grows, visible, any };
      this.interned.set(key, a);
    }
    return a;
  }

  /** Union of two accesses (over a thread's choices, or its future steps). */
  join(a: Access, b: Access): Access {
    if (a === b || a.any) return a;
    if (b.any) return b;
    if (covers(a, b)) return a;
    if (covers(b, a)) return b;
    const [x, y] = a.n < b.n ? [a, b] : [b, a];
    const pair = x.n * JOIN_MEMO + y.n;
    const memo = y.n < JOIN_MEMO ? this.joins.get(pair) : undefined;
    if (memo) return memo;
    const u = this.intern(union(a.reads, b.reads), union(a.writes, b.writes), union(a.grows, b.grows), a.visible || b.visible, false);
    if (y.n < JOIN_MEMO && this.joins.size < JOIN_MEMO) this.joins.set(pair, u);
    return u;
  }
}

function isObserved(id: string, observed: ReadonlySet<string>): boolean {
  if (observed.has(id)) return true;
  const colon = id.indexOf(':');
  return colon > 0 && observed.has(`${id.slice(0, colon)}:*`);
}

/** Whether every access of b is one of a's. */
function covers(a: Access, b: Access): boolean {
  if (b.visible && !a.visible) return false;
  return within(b.reads, a.reads) && within(b.writes, a.writes) && within(b.grows, a.grows);
}

/** Two steps of different threads are dependent when one writes what the other reads or writes
 *  (two writes of a commuting object excepted), or both are visible to the invariants. */
export function dependent(a: Access, b: Access): boolean {
  if (a.any || b.any) return true;
  if (a.visible && b.visible) return true;
  if (a.writes.length && (meets(a.writes, b.writes) || meets(a.writes, b.reads) || meets(a.writes, b.grows))) return true;
  if (b.writes.length && (meets(b.writes, a.reads) || meets(b.writes, a.grows))) return true;
  if (a.grows.length && meets(a.grows, b.reads)) return true;
  if (b.grows.length && meets(b.grows, a.reads)) return true;
  return false;
}
