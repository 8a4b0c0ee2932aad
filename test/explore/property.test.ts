import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dfs } from '../../server/src/explore/dfs';
import { dpor } from '../../server/src/explore/dpor';
import { bounded } from '../../server/src/explore/bounded';
import { replay } from '../../server/src/explore/trace';
import { programSystem, type Instr } from './systems/programs';

const v = fc.constantFrom('a', 'b');
const l = fc.constantFrom('m', 'n');
const instr: fc.Arbitrary<Instr> = fc.oneof(
  fc.record({ op: fc.constant('load' as const), v, r: fc.constant(0) }),
  fc.record({ op: fc.constant('store' as const), v, r: fc.constant(0), add: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('set' as const), v, value: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('pick' as const), v }),
  fc.record({ op: fc.constant('lock' as const), l }),
  fc.record({ op: fc.constant('unlock' as const), l }),
  fc.record({ op: fc.constant('jump' as const), v, cmp: fc.constantFrom('eq' as const, 'lt' as const), value: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 3 }) }),
);
const program = fc.array(fc.array(instr, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 });

const make = (codes: Instr[][], pending: boolean) => () => programSystem({
  threads: codes.map((code, i) => ({ name: `T${i}`, code })),
  vars: { a: 0, b: 0 },
  bad: (x) => (x.a === 2 ? { rule: 'a-is-2', message: 'a reached 2' } : undefined),
  badFinal: (x) => (x.b !== 1 ? { rule: 'b-not-1', message: 'b ends other than 1' } : undefined),
  observed: ['a'],
  noPending: !pending,
});

const rules = (r: { violations: { rule: string }[] }) => r.violations.map((x) => x.rule);

test('property: dpor finds a violation of a rule iff dfs does, on random small programs', () => {
  fc.assert(
    fc.property(program, fc.boolean(), (codes, pending) => {
      const sys = make(codes, pending);
      const full = dfs(sys(), { maxStates: 20_000 });
      fc.pre(full.complete);
      const reduced = dpor(sys(), { maxStates: 20_000 });
      assert.equal(reduced.complete, true);
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
