import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dfs } from '../../server/src/explore/dfs';
import { replay, countPreemptions } from '../../server/src/explore/trace';
import { counter, philosophers, retry, independent } from './systems/catalog';

const rules = (r: { violations: { rule: string }[] }) => r.violations.map((v) => v.rule);

test('dfs: lost update found without a lock, none with one', () => {
  const bad = dfs(counter(2, false));
  assert.deepEqual(rules(bad), ['lost-update']);
  assert.equal(bad.complete, true);
  const v = bad.violations[0];
  const states = replay(counter(2, false), v.trace);
  assert.equal(states[states.length - 1].vars.x, 1);
  assert.equal(countPreemptions(counter(2, false), v.trace), v.preemptions);
  assert.deepEqual(rules(dfs(counter(2, true))), []);
});

test('dfs: philosophers deadlock, ordered forks do not', () => {
  const r = dfs(philosophers(3));
  assert.deepEqual(rules(r), ['deadlock']);
  assert.deepEqual(rules(dfs(philosophers(3, true))), []);
});

test('dfs: retry loop livelocks, bounded retry does not', () => {
  const r = dfs(retry());
  assert.deepEqual(rules(r), ['livelock']);
  const trace = r.violations[0].trace;
  assert.ok(trace.some((s) => s.thread === 'invalidate') && trace.some((s) => s.thread === 'fault'));
  assert.doesNotThrow(() => replay(retry(), trace));
  assert.deepEqual(rules(dfs(retry(3))), []);
});

test('dfs: independent threads visit the whole product', () => {
  const r = dfs(independent(3, 2));
  assert.equal(r.states, 5 ** 3);
  assert.deepEqual(rules(r), []);
});
