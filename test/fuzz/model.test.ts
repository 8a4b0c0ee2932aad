// The fixed-seed model-tier fuzz of `npm test`: library functions with mutated bodies and mutated
// seeds through analyze() and the model tier, under small state bounds, a time budget on one case
// in three and a deterministic cancel (model-oracle.ts). Sized to about half a minute on two cores;
// `npm run fuzz -- --model` runs the long version. Times are reported, and asserted only through
// the oracle's generous budget factor; known bugs outside test/ are counted, not failed.
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initEngine } from '../support/engine';
import { libraryMutantCase, seedModelCase, type ModelCase } from './model-cases';
import { checkModel } from './model-oracle';
import { loadSeeds } from './mutate';
import { seedsDir, seedsSkip } from '../support/seeds';

before(() => initEngine());

/** States per search here: enough for most scenarios to find something, few enough to stay fast. */
const MAX_STATES = 60;

const totals = { cases: 0, scenarios: 0, cut: 0, cancelled: 0, known: new Map<string, number>() };

function run(t: TestContext, arb: fc.Arbitrary<ModelCase>, runs: number, seed: number): void {
  let slowest = { ms: 0, origin: '' };
  fc.assert(
    fc.property(arb, (c) => {
      const v = checkModel(c.text, c.options);
      totals.cases++;
      totals.scenarios += v.scenarios;
      if (v.cut) totals.cut++;
      if (v.afterCancelMs > 0) totals.cancelled++;
      for (const k of v.known) {
        totals.known.set(k.kind, (totals.known.get(k.kind) ?? 0) + 1);
        t.diagnostic(`known bug ${k.kind}: ${k.message} — ${c.origin.slice(0, 300)} ${JSON.stringify(c.options)}`);
      }
      if (v.ms > slowest.ms) slowest = { ms: v.ms, origin: `${c.origin.slice(0, 200)} ${JSON.stringify(c.options)}` };
      assert.deepEqual(v.failures, [], `${c.origin.slice(0, 2000)}\noptions ${JSON.stringify(c.options)}`);
    }),
    { numRuns: runs, seed },
  );
  t.diagnostic(`${runs} cases, seed ${seed}; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.origin}`);
}

test('model fuzz: library functions of every era with mutated bodies, as rewrites, hunks and mail (100 cases)', (t) => {
  run(t, libraryMutantCase(4, MAX_STATES, 0), 100, 7_007);
});

test('model fuzz: seeds cut, spliced and mutated (30 cases)', { skip: seedsSkip() }, (t) => {
  assert.ok(loadSeeds().length > 0, `seeds found in ${seedsDir}`);
  run(t, seedModelCase(MAX_STATES), 30, 2_005);
});

test('model fuzz: the cases ran scenarios, time budgets cut searches, cancels fired', (t) => {
  t.diagnostic(`${totals.cases} cases, ${totals.scenarios} scenario runs, ${totals.cut} time-bounded runs cut, ${totals.cancelled} cancelled runs`);
  t.diagnostic(`known bugs: ${[...totals.known].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  assert.equal(totals.cases, 130);
  // The fuzz must reach the model, not stop at intake: most cases run some scenario.
  assert.ok(totals.scenarios > totals.cases, `${totals.scenarios} scenario runs`);
  assert.ok(totals.cut > 0 && totals.cancelled > 0, 'budgets and cancels were exercised');
});
