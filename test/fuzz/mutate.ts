/**
 * Mutations of real documents (the seeds, test/support/seeds.ts): windows cut at random
 * points, pieces of two seeds spliced, hunks shuffled, lines duplicated and deleted, diff markers
 * flipped, hunk header numbers perturbed, CRLF and lone CR injected, binary noise and very long
 * lines inserted. Each mutation is plain data (indexes are taken modulo the current length), so
 * fast-check shrinks a failing case by dropping mutations and shrinking numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { seedNames, seedsDir } from '../support/seeds';


/** The seed documents; an empty list when the folder is missing outside CI (test/support/seeds.ts). */
export function loadSeeds(): { name: string; text: string }[] {
  return seedNames().map((name) => ({ name, text: readFileSync(join(seedsDir, name), 'utf8') }));
}

export type Mutation =
  | { op: 'window'; at: number; len: number }
  | { op: 'splice'; other: number; at: number; len: number; into: number }
  | { op: 'shuffleHunks'; key: number }
  | { op: 'dup'; at: number; times: number }
  | { op: 'del'; at: number; len: number }
  | { op: 'flip'; at: number; to: string }
  | { op: 'header'; at: number; which: number; value: number }
  | { op: 'crlf'; at: number; lone: boolean }
  | { op: 'noise'; at: number; what: number };

export interface SeedCase {
  seed: number;
  mutations: Mutation[];
}

const NOISE = ['\u0000\u0001\u0002', '\uFFFD\uFFFD', 'x'.repeat(20_000), '\t\t\t   \t', '\\ No newline at end of file', '@@', '@@ -0,0 +0,0 @@',
  'diff --git a/mm/x.c b/mm/x.c', '--- a/mm/x.c', '+++ /dev/null', 'From nobody Mon Sep 17 00:00:00 2001', 'Subject: [PATCH 2/3] x', '> > }', '\u{1F600}\u200B'];

/** Applies one mutation to the lines (in place where convenient); `seeds` feeds `splice`. */
function apply(lines: string[], m: Mutation, seeds: readonly string[][]): string[] {
  const n = lines.length;
  const at = (k: number) => (n === 0 ? 0 : k % n);
  switch (m.op) {
    case 'window': return lines.slice(at(m.at), at(m.at) + m.len);
    case 'splice': {
      const src = seeds[m.other % Math.max(1, seeds.length)] ?? [];
      const from = src.length ? m.at % src.length : 0;
      const piece = src.slice(from, from + m.len);
      const into = n === 0 ? 0 : m.into % (n + 1);
      return [...lines.slice(0, into), ...piece, ...lines.slice(into)];
    }
    case 'shuffleHunks': {
      // Hunks (from one `@@` line to the next) are reordered by a key-driven rotation and swap.
      const starts = lines.flatMap((l, i) => (l.startsWith('@@') ? [i] : []));
      if (starts.length < 2) return lines;
      const blocks = starts.map((s, k) => lines.slice(s, starts[k + 1] ?? n));
      const a = m.key % blocks.length;
      const b = Math.floor(m.key / blocks.length) % blocks.length;
      [blocks[a], blocks[b]] = [blocks[b]!, blocks[a]!];
      return [...lines.slice(0, starts[0]), ...blocks.flat()];
    }
    case 'dup': { const i = at(m.at); return [...lines.slice(0, i + 1), ...Array<string>(m.times).fill(lines[i] ?? ''), ...lines.slice(i + 1)]; }
    case 'del': return [...lines.slice(0, at(m.at)), ...lines.slice(at(m.at) + m.len)];
    case 'flip': {
      const i = at(m.at);
      const l = lines[i];
      if (l === undefined) return lines;
      const out = [...lines];
      out[i] = /^[-+ ]/.test(l) ? m.to + l.slice(1) : m.to + l;
      return out;
    }
    case 'header': {
      // The `which`-th number of a hunk header gets a new value (0, huge, or near the old one).
      const heads = lines.flatMap((l, i) => (l.startsWith('@@') ? [i] : []));
      if (heads.length === 0) return lines;
      const i = heads[m.at % heads.length]!;
      let k = 0;
      const out = [...lines];
      out[i] = lines[i]!.replace(/\d+/g, (d) => (k++ === m.which % 4 ? String(m.value) : d));
      return out;
    }
    case 'crlf': {
      const i = at(m.at);
      const out = [...lines];
      const l = out[i];
      // Joined with '\n', a trailing CR makes a CRLF line end; a CR inside the line is a lone CR
      // (an old Mac line end) that splits it in two.
      if (l !== undefined) out[i] = m.lone ? `${l.slice(0, l.length >> 1)}\r${l.slice(l.length >> 1)}` : `${l}\r`;
      return out;
    }
    case 'noise': { const i = n === 0 ? 0 : m.at % (n + 1); return [...lines.slice(0, i), NOISE[m.what % NOISE.length]!, ...lines.slice(i)]; }
  }
}

/** The text of a seed case: the seed's lines after every mutation, in order. */
export function seedText(c: SeedCase, seeds: readonly string[]): string {
  const split = seeds.map((s) => s.split('\n'));
  let lines = [...(split[c.seed % Math.max(1, split.length)] ?? [])];
  for (const m of c.mutations) lines = apply(lines, m, split);
  return lines.join('\n');
}

const idx = fc.nat({ max: 100_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('splice' as const), other: fc.nat({ max: 64 }), at: idx, len: fc.integer({ min: 1, max: 40 }), into: idx }),
  fc.record({ op: fc.constant('shuffleHunks' as const), key: fc.nat({ max: 1000 }) }),
  fc.record({ op: fc.constant('dup' as const), at: idx, times: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('del' as const), at: idx, len: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant('flip' as const), at: idx, to: fc.constantFrom('+', '-', ' ', '>', '\\', '@') }),
  fc.record({ op: fc.constant('header' as const), at: idx, which: fc.nat({ max: 3 }),
    value: fc.oneof(fc.constant(0), fc.nat({ max: 300 }), fc.constant(2 ** 31), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.record({ op: fc.constant('crlf' as const), at: idx, lone: fc.boolean() }),
  fc.record({ op: fc.constant('noise' as const), at: idx, what: fc.nat({ max: 100 }) }),
);

/**
 * A seed case. `maxWindow` bounds the first cut (small windows keep most cases cheap); a case
 * may skip the cut and mutate the whole seed.
 */
export function seedCase(maxWindow: number, wholeWeight: number): fc.Arbitrary<SeedCase> {
  const window = fc.record({ op: fc.constant('window' as const), at: idx, len: fc.integer({ min: 1, max: maxWindow }) });
  const first = fc.oneof({ weight: wholeWeight, arbitrary: fc.constant([] as Mutation[]) }, { weight: 10, arbitrary: window.map((w) => [w as Mutation]) });
  return fc.record({ seed: fc.nat({ max: 64 }), first, rest: fc.array(mutation, { maxLength: 6 }) })
    .map(({ seed, first, rest }) => ({ seed, mutations: [...first, ...rest] }));
}
