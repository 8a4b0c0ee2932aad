/**
 * The fuzz cases: random bytes, mutated seeds and generated C, each with a description of how it
 * was made (for the report and the reproducer), and the writer of reproducer fixtures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { cDocument, cParams } from './cgen';
import { loadSeeds, seedCase, seedText } from './mutate';
import type { FuzzInput } from './oracle';

export interface FuzzCase {
  /** How the case was made: enough to rebuild it from the generators. */
  origin: string;
  input: FuzzInput;
}

export const FIXTURES = join(__dirname, '..', 'fixtures', 'fuzz');

const seeds = loadSeeds().map((s) => s.text);
const encoder = new TextEncoder();

// Bytes that matter to intake (line ends, markers, headers, braces, UTF-8 lead bytes, NUL).
const PATCHY = [...encoder.encode('@@ -+ \n\r\t{}();>\\0123456789abcdefdiff---+++From:Subject'), 0x00, 0xc3, 0xe2, 0xf0, 0xff, 0x80];

/** Random bytes, biased bytes, and seeds with bytes overwritten; all go through decodeDocument. */
export function bytesCase(): fc.Arbitrary<FuzzCase> {
  const plain = fc.uint8Array({ maxLength: 400 });
  const biased = fc.array(fc.constantFrom(...PATCHY), { maxLength: 600 }).map((a) => Uint8Array.from(a));
  const damaged = fc.record({
    seed: fc.nat({ max: 64 }),
    from: fc.nat({ max: 20_000 }),
    len: fc.integer({ min: 1, max: 600 }),
    hits: fc.array(fc.record({ at: fc.nat({ max: 600 }), b: fc.integer({ min: 0, max: 255 }) }), { maxLength: 12 }),
  }).map(({ seed, from, len, hits }) => {
    const all = encoder.encode(seeds[seed % Math.max(1, seeds.length)] ?? '');
    const start = all.length ? from % all.length : 0;
    const bytes = all.slice(start, start + len);
    for (const h of hits) if (bytes.length) bytes[h.at % bytes.length] = h.b;
    return bytes;
  });
  return fc.oneof(plain, biased, damaged).map((bytes) => ({ origin: `bytes(${bytes.length})`, input: { kind: 'bytes' as const, bytes } }));
}

/** A mutated seed; `maxWindow` keeps most of them small. */
export function seedMutationCase(maxWindow: number, wholeWeight: number): fc.Arbitrary<FuzzCase> {
  return seedCase(maxWindow, wholeWeight).map((c) => ({ origin: `seed ${JSON.stringify(c)}`, input: { kind: 'text' as const, text: seedText(c, seeds) } }));
}

/** Generated C in a document; `large` gives depth 200+ and thousands of statements. */
export function generatedCase(large: boolean): fc.Arbitrary<FuzzCase> {
  return cParams(large).map((p) => ({ origin: `c ${JSON.stringify(p)}`, input: { kind: 'text' as const, text: cDocument(p) } }));
}

/** Every kind mixed, as the fuzz script runs them: mostly small, one case in fifty large. */
export function anyCase(): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 15, arbitrary: bytesCase() },
    { weight: 25, arbitrary: seedMutationCase(80, 3) },
    { weight: 20, arbitrary: generatedCase(false) },
    { weight: 1, arbitrary: generatedCase(true) },
  );
}

/** Writes a failing case to test/fixtures/fuzz/ (bytes as .bin, text as .patch) with a note. */
export function writeReproducer(name: string, c: FuzzCase, why: string[]): string {
  mkdirSync(FIXTURES, { recursive: true });
  const file = join(FIXTURES, `${name}.${c.input.kind === 'bytes' ? 'bin' : 'patch'}`);
  writeFileSync(file, c.input.kind === 'bytes' ? c.input.bytes : c.input.text);
  writeFileSync(`${file}.txt`, `${c.origin}\n\n${why.join('\n')}\n`);
  return file;
}
