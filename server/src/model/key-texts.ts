/**
 * The texts state keys are made of (state-key.ts), and their numbers: equal texts iff equal
 * numbers, within one table. Two kinds of text share one count, so that no number means both:
 * - strings (field names, ids, the texts of primitives), interned in a Map (V8 keeps a string's
 *   hash in the string, and these are mostly the same few strings met again);
 * - unit texts: a sequence of numbers written as UTF-16 code units on a stack (`put`), interned
 *   in place by a hash of its units into an arena of every distinct unit text met. An object's
 *   text is written at the stack's top, interned and popped, and a text begun before it (its
 *   owner's) goes on where it was. Nothing is allocated per text: no string is made of it (Node's
 *   decoding of the units to a string, and the Map's hashing of that string, were about a quarter of what
 *   keying cost), and the arena grows by doubling.
 *
 * A number is written as one unit below 0x8000, else as two (the first with its top bit set), so
 * a unit text reads back as its numbers. Limit: at most 2^30 texts per table (beyond, an error).
 */
export class KeyTexts {
  /** The stack texts are written on: a text begun at `start` is `stack[start, top)`. */
  private stack = new Uint16Array(4096);
  top = 0;
  private readonly strings = new Map<string, number>();
  /** Every distinct unit text, one after another; entry i is `arena[from[i], from[i + 1])`. */
  private arena = new Uint16Array(1 << 16);
  private from = new Int32Array(4097);
  private hashes = new Int32Array(4096);
  private numbers = new Int32Array(4096);
  private entries = 0;
  /** Open addressing by hash, linear probing: entry index + 1, 0 for a free slot; at most half full. */
  private slots = new Int32Array(8192);
  /** Numbers given so far (strings and unit texts alike). */
  private count = 0;

  /** Distinct texts interned so far (for benchmarks). */
  get size(): number {
    return this.count;
  }

  put(n: number): void {
    if (this.top + 2 > this.stack.length) {
      const grown = new Uint16Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    if (n < 0x8000) this.stack[this.top++] = n;
    else if (n < 0x40000000) {
      this.stack[this.top++] = 0x8000 | (n >>> 15);
      this.stack[this.top++] = n & 0x7fff;
    } else throw new Error('state key table overflow');
  }

  /** The number of a string. */
  string(s: string): number {
    let n = this.strings.get(s);
    if (n === undefined) {
      n = this.fresh();
      this.strings.set(s, n);
    }
    return n;
  }

  /** The number of the unit text written since `start`, which is then popped. */
  text(start: number): number {
    const end = this.top;
    this.top = start;
    const stack = this.stack;
    // FNV-1a over the units, then a finaliser to spread them over the slots' low bits.
    let h = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ stack[i], 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = this.slots[slot] - 1;
      if (e < 0) return this.add(slot, h, start, end);
      if (this.hashes[e] === h && this.same(e, start, end)) return this.numbers[e];
    }
  }

  /** Whether entry e's units are `stack[start, end)`. */
  private same(e: number, start: number, end: number): boolean {
    const at = this.from[e];
    if (this.from[e + 1] - at !== end - start) return false;
    const arena = this.arena;
    const stack = this.stack;
    for (let i = start, j = at; i < end; i++, j++) if (arena[j] !== stack[i]) return false;
    return true;
  }

  private add(slot: number, h: number, start: number, end: number): number {
    const e = this.entries++;
    if (e + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, this.hashes.length * 2);
      this.numbers = grow(this.numbers, this.hashes.length);
      this.from = grow(this.from, this.hashes.length + 1);
    }
    const at = this.from[e];
    if (at + end - start > this.arena.length) {
      const arena = new Uint16Array(Math.max(this.arena.length * 2, at + end - start));
      arena.set(this.arena);
      this.arena = arena;
    }
    this.arena.set(this.stack.subarray(start, end), at);
    this.from[e + 1] = at + end - start;
    this.hashes[e] = h;
    const n = (this.numbers[e] = this.fresh());
    this.slots[slot] = e + 1;
    if (2 * this.entries > this.slots.length) this.rehash();
    return n;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.entries; e++) {
      let slot = this.hashes[e] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
  }

  private fresh(): number {
    if (this.count >= 0x40000000) throw new Error('state key table overflow');
    return this.count++;
  }
}

function grow(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
