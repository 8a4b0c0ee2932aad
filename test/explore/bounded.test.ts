import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bounded } from '../../server/src/explore/bounded';
import { dfs } from '../../server/src/explore/dfs';
import { countPreemptions, isPreemption, replay } from '../../server/src/explore/trace';
import { counter, early, philosophers, retry, torn } from './systems/catalog';

const rules = (r: { violations: { rule: string }[] }) => r.violations.map((v) => v.rule);

test('bounded: the 0-preemption counterexample when one exists', () => {
  const r = bounded(early(), { preemptions: 2 });
  assert.deepEqual(rules(r), ['early-read']);
  assert.equal(r.violations[0].preemptions, 0);
  assert.equal(countPreemptions(early(), r.violations[0].trace), 0);
});

// One preemption is enough for any n: p0 takes f0 and is preempted, the others then take their
// left forks one after another, each blocking (a free switch) on the next one's fork.
test('bounded: philosophers deadlock with one preemption, never with none', () => {
  for (const n of [2, 3]) {
    const r = bounded(philosophers(n), { preemptions: 3 });
    assert.deepEqual(rules(r), ['deadlock']);
    assert.equal(r.violations[0].preemptions, 1);
    assert.equal(countPreemptions(philosophers(n), r.violations[0].trace), 1);
    const tooFew = bounded(philosophers(n), { preemptions: 0 });
    assert.deepEqual(rules(tooFew), []);
    assert.equal(tooFew.complete, true);
    assert.equal(tooFew.exhaustive, false);
  }
});

test('bounded: lost update and torn read need exactly one preemption', () => {
  for (const make of [() => counter(2, false), torn]) {
    const r = bounded(make(), { preemptions: 3 });
    assert.equal(r.violations.length, 1);
    assert.equal(r.violations[0].preemptions, 1);
    const states = replay(make(), r.violations[0].trace);
    assert.equal(states.length, r.violations[0].trace.length + 1);
  }
});

test('bounded: stops early when no schedule was cut, and agrees with dfs', () => {
  const r = bounded(counter(2, true), { preemptions: 10 });
  assert.equal(r.exhaustive, true);
  assert.ok(r.bound < 10);
  assert.deepEqual(rules(r), rules(dfs(counter(2, true))));
});

test('bounded: retry livelock is found, bounded retry is not', () => {
  assert.deepEqual(rules(bounded(retry(), { preemptions: 2 })), ['livelock']);
  assert.deepEqual(rules(bounded(retry(2), { preemptions: 2 })), []);
});

// A thread standing at a voluntary scheduling point (System.yields) may be switched away from
// for free: the same switch elsewhere is a preemption.
test('bounded: switching away from a thread that yields is not a preemption', () => {
  const sys = { enabled: () => true, yields: (_s: unknown, t: string) => t === 'user' } as unknown as Parameters<typeof isPreemption>[0];
  assert.equal(isPreemption(sys, {}, 'user', 'kernel'), false);
  assert.equal(isPreemption(sys, {}, 'kernel', 'user'), true);
  assert.equal(isPreemption(sys, {}, undefined, 'user'), false);
  assert.equal(isPreemption(sys, {}, 'user', 'user'), false);
});
