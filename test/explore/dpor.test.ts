import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dfs } from '../../server/src/explore/dfs';
import { dpor } from '../../server/src/explore/dpor';
import { AccessTable, dependent } from '../../server/src/explore/access';
import type { System } from '../../server/src/explore/system';
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

/**
 * A system that breaks the contract DPOR's footprint reuse rests on: `a` writes x but declares
 * no write, and `b`'s step reads x to decide what it touches. Reusing b's access from the parent
 * state after a's step is then wrong, and `checkFootprints` must say so.
 */
function lying(): System<{ x: number; pa: number; pb: number }> {
  type S = { x: number; pa: number; pb: number };
  return {
    initial: () => ({ x: 0, pa: 0, pb: 0 }),
    threads: () => ['a', 'b'],
    enabled: (s, t) => (t === 'a' ? s.pa : s.pb) < 1,
    done: (s, t) => (t === 'a' ? s.pa : s.pb) >= 1,
    choices: () => 1,
    step: (s: S, t: string) => t === 'a'
      ? { state: { ...s, x: 1, pa: 1 }, footprint: { reads: [], writes: ['thread:a'] }, progress: true }
      : { state: { ...s, pb: 1 }, footprint: { reads: [s.x === 0 ? 'y' : 'z'], writes: ['thread:b'] }, progress: true },
    key: (s) => `${s.x}${s.pa}${s.pb}`,
    check: () => [],
    // The invariants read nothing: without this every write is visible and every step dependent.
    observed: [],
  };
}

test('dpor reuses a next step\'s access only where the System contract says it is unchanged; checkFootprints catches a system that breaks it', () => {
  assert.doesNotThrow(() => dpor(lying()));
  assert.throws(() => dpor(lying(), { checkFootprints: true }), /b's next step changed under an independent step of a/);
  for (const make of Object.values(systems)) {
    const plain = dpor(make());
    const checked = dpor(make(), { checkFootprints: true });
    assert.deepEqual([checked.states, rules(checked)], [plain.states, rules(plain)]);
  }
});

test('dpor explores one interleaving of independent threads', () => {
  const full = dfs(independent(4, 3));
  const reduced = dpor(independent(4, 3));
  assert.equal(full.states, 7 ** 4);
  // One path: 4 threads x 6 steps, plus the initial state.
  assert.equal(reduced.states, 4 * 6 + 1);
});

test('dependence: writes of a commuting object (a collection\'s membership) conflict only with its reads', () => {
  const accesses = new AccessTable(new Set(), new Set(['locks']));
  const plain = new AccessTable(new Set());
  const take = (k: string) => accesses.of({ reads: [`lock:${k}`], writes: [`lock:${k}`, 'locks'] });
  const list = accesses.of({ reads: ['locks'], writes: ['thread:x'] });
  const table = [
    ['take a / take b', dependent(take('a'), take('b'))],
    ['take a / take a', dependent(take('a'), take('a'))],
    ['take a / enumerate', dependent(take('a'), list)],
    ['enumerate / take b', dependent(list, take('b'))],
    ['take a / take b, membership not commuting', dependent(plain.of({ reads: [], writes: ['locks'] }), plain.of({ reads: [], writes: ['locks'] }))],
  ];
  assert.deepEqual(table, [
    ['take a / take b', false],
    ['take a / take a', true],
    ['take a / enumerate', true],
    ['enumerate / take b', true],
    ['take a / take b, membership not commuting', true],
  ]);
});

test('accesses: a union is the access of the joined footprint, interned; visibility follows the observed writes', () => {
  // 40 objects, so bit sets span two words and grow as the table meets new objects.
  const ids = Array.from({ length: 40 }, (_, i) => `page:${i}`);
  const accesses = new AccessTable(new Set(['page:39']));
  const a = accesses.of({ reads: ids.slice(0, 3), writes: ['page:1'] });
  const b = accesses.of({ reads: ids.slice(30, 35), writes: ['page:39'] });
  const u = accesses.join(a, b);
  const rows = [
    ['union is the joined footprint', u === accesses.of({ reads: [...ids.slice(0, 3), ...ids.slice(30, 35)], writes: ['page:1', 'page:39'] })],
    ['equal footprints, one access', a === accesses.of({ reads: ['page:2', 'page:0', 'page:1'], writes: ['page:1'] })],
    ['a covered side is returned', accesses.join(u, a) === u],
    ['any absorbs', accesses.join(a, accesses.any) === accesses.any],
    ['a visible', a.visible],
    ['b visible', b.visible],
    ['u visible', u.visible],
    ['a, b dependent', dependent(a, b)],
    ['a, u dependent', dependent(a, u)],
    ['high word only', dependent(accesses.of({ reads: ['page:33'], writes: [] }), b)],
    ['high write vs high read', dependent(accesses.of({ reads: [], writes: ['page:33'] }), b)],
  ];
  assert.deepEqual(rows, [
    ['union is the joined footprint', true],
    ['equal footprints, one access', true],
    ['a covered side is returned', true],
    ['any absorbs', true],
    ['a visible', false],
    ['b visible', true],
    ['u visible', true],
    ['a, b dependent', false],
    ['a, u dependent', true],
    ['high word only', false],
    ['high write vs high read', true],
  ]);
});
