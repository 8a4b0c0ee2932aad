/**
 * Cases of the model-tier fuzzer: a document (a mutated library function from mgen.ts, or a
 * mutated and spliced seed from mutate.ts) with the budgets it runs under, and the writer of
 * reproducers (`model-*.patch` with a `.txt` holding how it was made, its options and what broke).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FIXTURES } from './cases';
import { modelDocument, modelParams } from './mgen';
import type { ModelOptions } from './model-oracle';
import { loadSeeds, seedCase, seedText } from './mutate';

export interface ModelCase {
  origin: string;
  text: string;
  options: ModelOptions;
}

const seeds = loadSeeds().map((s) => s.text);

/**
 * Budgets: small state bounds (the searches stay short), and a time-bounded run on one case in
 * three at 50-250 ms (it is the slowest run of a case; 0 skips it).
 */
export function modelOptions(maxStates = 200): fc.Arbitrary<ModelOptions> {
  return fc.record({
    states: fc.integer({ min: 20, max: maxStates }),
    budgetMs: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 50, max: 250 }) }),
    cancelAfter: fc.nat({ max: 12 }),
    scenario: fc.nat({ max: 100 }),
  });
}

/** A library function of some era with its body mutated, wrapped as a patch or a mail. */
export function libraryMutantCase(maxMutations = 4, maxStates = 200, selfWeight = 1): fc.Arbitrary<ModelCase> {
  return fc.record({ p: modelParams(maxMutations, selfWeight), options: modelOptions(maxStates) })
    .map(({ p, options }) => ({ origin: `library ${JSON.stringify(p)}`, text: modelDocument(p).text, options }));
}

/** A seed document cut, spliced and otherwise mutated (mutate.ts); large windows keep its functions. */
export function seedModelCase(maxStates = 200): fc.Arbitrary<ModelCase> {
  return fc.record({ c: seedCase(120, 4), options: modelOptions(maxStates) })
    .map(({ c, options }) => ({ origin: `seed ${JSON.stringify(c)}`, text: seedText(c, seeds), options }));
}

/** Both kinds, as the long run mixes them. */
export function anyModelCase(maxStates = 200): fc.Arbitrary<ModelCase> {
  return fc.oneof({ weight: 3, arbitrary: libraryMutantCase(6, maxStates) }, { weight: 1, arbitrary: seedModelCase(maxStates) });
}

/** Writes a failing model case to test/fixtures/fuzz/model-<name>.patch with its `.txt`. */
export function writeModelReproducer(name: string, c: ModelCase, why: string[]): string {
  mkdirSync(FIXTURES, { recursive: true });
  const file = join(FIXTURES, `model-${name}.patch`);
  writeFileSync(file, c.text);
  writeFileSync(`${file}.txt`, `${c.origin}\noptions ${JSON.stringify(c.options)}\n\n${why.join('\n')}\n`);
  return file;
}
