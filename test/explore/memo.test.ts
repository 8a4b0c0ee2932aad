// The default search (complete.ts) runs its two phases through MemoSystem (memo.ts): the witness
// search takes its steps' outcomes from the exhaustive one. Remembering must change nothing but
// the work done: the rules found are dfs's, each witness has the fewest preemptions that plain
// iterative context bounding on the system itself finds, and every trace replays on the system.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bounded } from '../../server/src/explore/bounded';
import { complete } from '../../server/src/explore/complete';
import { dfs } from '../../server/src/explore/dfs';
import { MemoSystem } from '../../server/src/explore/memo';
import type { System } from '../../server/src/explore/system';
import { countPreemptions, replay } from '../../server/src/explore/trace';
import { counter, philosophers } from './systems/catalog';
import type { Instr } from './systems/programs';
import { randomPrograms, randomSystem } from './systems/random-programs';

/** Counts the steps a system runs. */
function counted<S>(sys: System<S>): { sys: System<S>; steps: () => number } {
  let n = 0;
  const step = sys.step.bind(sys);
  return { sys: { ...sys, step: (s, t, c) => { n++; return step(s, t, c); } }, steps: () => n };
}

test('memo: a search through MemoSystem runs each step of a state once, and a second search runs none', () => {
  const { sys, steps } = counted(counter(2, false));
  const memo = new MemoSystem(sys);
  const first = dfs(memo, {});
  const ran = steps();
  assert.equal(ran, first.transitions, 'dfs expands each state once: one step per transition');
  const again = bounded(memo, { preemptions: 3 });
  assert.equal(steps(), ran, 'the witness search met only states the first search stepped');
  assert.deepEqual(again.violations.map((v) => [v.rule, v.preemptions]), [['lost-update', 1]]);
});

test('memo: past its size limit it steps the system as usual, with the same results', () => {
  const { sys, steps } = counted(philosophers(3));
  const r = dfs(new MemoSystem(sys, 5), {});
  const plain = dfs(philosophers(3), {});
  assert.deepEqual(r.violations.map((v) => v.rule), plain.violations.map((v) => v.rule));
  assert.equal(steps(), r.transitions);
});

const make = (codes: Instr[][]) => randomSystem(codes);

test('property: complete (memoised) finds dfs\'s safety rules, each with the fewest preemptions of plain bounded search', () => {
  const safety = (r: { violations: { rule: string; preemptions: number }[] }) => r.violations.filter((x) => x.rule !== 'livelock');
  fc.assert(
    fc.property(randomPrograms, (codes) => {
      const full = dfs(make(codes), { maxStates: 20_000 });
      fc.pre(full.complete);
      const c = complete(make(codes), { maxStates: 200_000 });
      assert.equal(c.exhaustive, true);
      assert.deepEqual(safety(c).map((x) => x.rule), safety(full).map((x) => x.rule));
      const plain = bounded(make(codes), { preemptions: 12, maxStates: 200_000 });
      fc.pre(plain.exhaustive);
      assert.deepEqual(safety(c).map((x) => [x.rule, x.preemptions]), safety(plain).map((x) => [x.rule, x.preemptions]));
      for (const x of c.violations) {
        replay(make(codes), x.trace);
        assert.equal(countPreemptions(make(codes), x.trace), x.preemptions);
      }
    }),
    { numRuns: 200, seed: 13 },
  );
});
