import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dfs } from '../../server/src/explore/dfs';
import { dpor } from '../../server/src/explore/dpor';
import { bounded } from '../../server/src/explore/bounded';
import { replay } from '../../server/src/explore/trace';
import type { Instr } from './systems/programs';
import { randomPrograms, randomSystem } from './systems/random-programs';

const make = (codes: Instr[][], pending: boolean) => () => randomSystem(codes, pending);
const program = randomPrograms;

const rules = (r: { violations: { rule: string }[] }) => r.violations.map((x) => x.rule);

test('property: dpor finds a violation of a rule iff dfs does, on random small programs', () => {
  fc.assert(
    fc.property(program, fc.boolean(), (codes, pending) => {
      const sys = make(codes, pending);
      const full = dfs(sys(), { maxStates: 20_000 });
      fc.pre(full.complete);
      const reduced = dpor(sys(), { maxStates: 20_000 });
      assert.equal(reduced.complete, true);
      // The random systems keep the contract DPOR's reuse of next-step accesses rests on.
      const checked = dpor(sys(), { maxStates: 20_000, checkFootprints: true });
      assert.deepEqual([checked.states, rules(checked)], [reduced.states, rules(reduced)]);
      assert.deepEqual(rules(reduced), rules(full));
      for (const x of reduced.violations) replay(sys(), x.trace);
    }),
    { numRuns: 400, seed: 20240501 },
  );
});

test('property: exhaustive bounded search agrees with dfs on safety rules', () => {
  const safety = (r: { violations: { rule: string }[] }) => rules(r).filter((x) => x !== 'livelock');
  fc.assert(
    fc.property(program, (codes) => {
      const sys = make(codes, true);
      const full = dfs(sys(), { maxStates: 20_000 });
      fc.pre(full.complete);
      const b = bounded(sys(), { preemptions: 12, maxStates: 200_000 });
      fc.pre(b.exhaustive);
      assert.deepEqual(safety(b), safety(full));
    }),
    { numRuns: 200, seed: 7 },
  );
});
