import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dfs } from '../../server/src/explore/dfs';
import { dpor } from '../../server/src/explore/dpor';
import { access, dependent } from '../../server/src/explore/system';
import { replay } from '../../server/src/explore/trace';
import { counter, philosophers, retry, independent, torn, early } from './systems/catalog';
import { programSystem } from './systems/programs';

const rules = (r: { violations: { rule: string }[] }) => r.violations.map((v) => v.rule);

const systems = {
  'counter 2': () => counter(2, false),
  'counter 3': () => counter(3, false),
  'counter 2 locked': () => counter(2, true),
  'philosophers 2': () => philosophers(2),
  'philosophers 3': () => philosophers(3),
  'philosophers 3 ordered': () => philosophers(3, true),
  'retry': () => retry(),
  'retry bounded': () => retry(2),
  'independent 3x2': () => independent(3, 2),
  'torn': () => torn(),
  'early': () => early(),
  'philosophers 3 without pending': () => programSystem({
    threads: [0, 1, 2].map((i) => ({ name: `p${i}`, code: [{ op: 'lock' as const, l: `f${i}` }, { op: 'lock' as const, l: `f${(i + 1) % 3}` }] })),
    noPending: true,
  }),
};

for (const [name, make] of Object.entries(systems)) {
  test(`dpor finds the same rules as dfs: ${name}`, () => {
    const full = dfs(make());
    const reduced = dpor(make());
    assert.equal(reduced.complete, true);
    assert.deepEqual(rules(reduced), rules(full));
    assert.ok(reduced.states <= full.states, `dpor ${reduced.states} states, dfs ${full.states}`);
    for (const v of reduced.violations) assert.doesNotThrow(() => replay(make(), v.trace));
  });
}

test('dpor explores one interleaving of independent threads', () => {
  const full = dfs(independent(4, 3));
  const reduced = dpor(independent(4, 3));
  assert.equal(full.states, 7 ** 4);
  // One path: 4 threads x 6 steps, plus the initial state.
  assert.equal(reduced.states, 4 * 6 + 1);
});

test('dependence: writes of a commuting object (a collection\'s membership) conflict only with its reads', () => {
  const commuting = new Set(['locks']);
  const take = (k: string) => access({ reads: [`lock:${k}`], writes: [`lock:${k}`, 'locks'] }, new Set(), commuting);
  const list = access({ reads: ['locks'], writes: ['thread:x'] }, new Set(), commuting);
  const table = [
    ['take a / take b', dependent(take('a'), take('b'))],
    ['take a / take a', dependent(take('a'), take('a'))],
    ['take a / enumerate', dependent(take('a'), list)],
    ['enumerate / take b', dependent(list, take('b'))],
    ['take a / take b, membership not commuting', dependent(access({ reads: [], writes: ['locks'] }, new Set()), access({ reads: [], writes: ['locks'] }, new Set()))],
  ];
  assert.deepEqual(table, [
    ['take a / take b', false],
    ['take a / take a', true],
    ['take a / enumerate', true],
    ['enumerate / take b', true],
    ['take a / take b, membership not commuting', true],
  ]);
});
