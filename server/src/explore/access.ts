/**
 * Footprints prepared for DPOR's dependency tests (dpor.ts), one table per search.
 *
 * A footprint names objects by text (`page:3`, `lock:mm:1.page_table_lock`); the table numbers
 * each object the first time it is met and an access holds its reads, writes and grows as bit
 * sets over those numbers, so a dependency test is a few word operations instead of set look-ups.
 * Accesses are interned (equal content, one object), and unions are remembered by pair: DPOR keeps
 * a union of accesses per thread for every visited state (its summary), and with interning those
 * unions are shared instead of each state holding sets of its own (they were most of the memory
 * a state cost). Interning looks an access up by a hash of its bits and compares the bits of the
 * few with that hash; a footprint is set into scratch space first, so one met before (most of a
 * search's) costs no allocation. An object's numbers mean nothing outside its table.
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

/** A copy of the first n words (the shared empty set for none). */
function trimmed(s: Uint32Array, n: number): Uint32Array {
  return n === 0 ? NONE : s.slice(0, n);
}

function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = (i < a.length ? a[i] : 0) | (i < b.length ? b[i] : 0);
  return out;
}

/** Words of a bit set up to its last non-zero one (lengths differ as the table grows). */
function used(s: Uint32Array, n = s.length): number {
  while (n > 0 && s[n - 1] === 0) n--;
  return n;
}

/** Whether two bit sets hold the same bits (trailing zero words aside). */
function sameBits(a: Uint32Array, b: Uint32Array, bn = b.length): boolean {
  const n = used(a);
  if (n !== used(b, bn)) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Mixes a bit set's used words into a hash. */
function hashBits(h: number, s: Uint32Array, n: number): number {
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s[i], 0x9e3779b1);
  return Math.imul(h ^ n, 0x85ebca6b);
}

export class AccessTable {
  /** Object text → its bit. */
  private readonly bits = new Map<string, number>();
  /** Per bit: a write of it is visible to the invariants. */
  private readonly observedBit: boolean[] = [];
  /** Interned accesses by a hash of their content; a bucket's entries are compared bit by bit. */
  private readonly interned = new Map<number, Access[]>();
  /** Where `of` builds a footprint's bit sets before looking it up: a hit allocates nothing. */
  private scratch = { reads: new Uint32Array(4), writes: new Uint32Array(4), grows: new Uint32Array(4) };
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

  /** Sets bit b of one of the scratch sets, growing all three when b lies past their end. */
  private setBit(which: 'reads' | 'writes' | 'grows', b: number): void {
    const w = b >>> 5;
    if (w >= this.scratch.reads.length) {
      const size = Math.max(w + 1, this.scratch.reads.length * 2);
      const grow = (old: Uint32Array) => { const out = new Uint32Array(size); out.set(old); return out; };
      this.scratch = { reads: grow(this.scratch.reads), writes: grow(this.scratch.writes), grows: grow(this.scratch.grows) };
    }
    this.scratch[which][w] |= 1 << (b & 31);
  }

  /** The access of a step's footprint: its bits set in scratch space (each id looked up once). */
  of(fp: Footprint): Access {
    const { reads, writes, grows } = this.scratch;
    reads.fill(0);
    writes.fill(0);
    grows.fill(0);
    for (const id of fp.reads) this.setBit('reads', this.bit(id));
    let visible = false;
    for (const id of fp.writes) {
      const b = this.bit(id);
      this.setBit(this.commuting?.has(id) ? 'grows' : 'writes', b);
      if (this.observedBit[b]) visible = true;
    }
    const s = this.scratch;
    return this.intern(s.reads, s.writes, s.grows, visible, false);
  }

  /**
   * The one access with these contents (trailing zero words aside; the sets are copied, trimmed,
   * only when the access is new, so callers may pass scratch space).
   */
  private intern(reads: Uint32Array, writes: Uint32Array, grows: Uint32Array, visible: boolean, any: boolean): Access {
    const rn = used(reads);
    const wn = used(writes);
    const gn = used(grows);
    const h = hashBits(hashBits(hashBits(any ? 2 : visible ? 1 : 0, reads, rn), writes, wn), grows, gn);
    let bucket = this.interned.get(h);
    if (bucket) {
      for (const a of bucket) {
        if (a.any === any && a.visible === visible && sameBits(a.reads, reads, rn) && sameBits(a.writes, writes, wn) && sameBits(a.grows, grows, gn)) return a;
      }
    } else this.interned.set(h, (bucket = []));
    const a: Access = { n: this.count++, reads: trimmed(reads, rn), writes: trimmed(writes, wn), grows: trimmed(grows, gn), visible, any };
    bucket.push(a);
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
