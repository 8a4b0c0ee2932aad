// The helpers that replace spreading into a call's arguments take any length: one million
// elements, where `push(...xs)` overflows the stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendAll, maxOf, minOf } from '../server/src/arrays';

const big = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);

test('appendAll keeps order and takes a million elements', () => {
  assert.throws(() => [0].push(...big), RangeError);
  const out = appendAll([-1], big);
  assert.equal(out.length, 1_000_001);
  assert.deepEqual([out[0], out[1], out[1_000_000]], [-1, big[0], big[999_999]]);
});

test('minOf and maxOf agree with Math.min/max and take a million elements', () => {
  assert.deepEqual([minOf([3, 1, 2]), maxOf([3, 1, 2])], [1, 3]);
  assert.deepEqual([minOf([]), maxOf([])], [Math.min(), Math.max()]);
  assert.deepEqual([minOf(big), maxOf(big)], [big.reduce((m, x) => Math.min(m, x)), big.reduce((m, x) => Math.max(m, x))]);
});
