import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dfs } from '../../server/src/explore/dfs';
import { dpor } from '../../server/src/explore/dpor';
import { bounded } from '../../server/src/explore/bounded';
import { counters } from './systems/counters';
import { DEFAULT_MAX_HEAP_BYTES, optionsFromBounds, type SearchOptions, type SearchResult } from '../../server/src/explore/search';
import type { System } from '../../server/src/explore/system';

const big = () => counters({ threads: 6, steps: 6, shared: true }) as System<unknown>;
const strategies: [string, (s: System<unknown>, o: SearchOptions) => SearchResult][] = [['dfs', dfs], ['dpor', dpor], ['bounded', bounded]];

for (const [name, run] of strategies) {
  test(`budget ${name}: states, depth, time, memory and cancellation end the search incomplete`, () => {
    const cases: [SearchOptions, string][] = [
      [{ maxStates: 100 }, 'states'],
      [{ maxDepth: 3 }, 'depth'],
      [{ maxMs: 0, checkEvery: 1 }, 'time'],
      [{ maxHeapBytes: 1, checkEvery: 1 }, 'memory'],
      [{ signal: { aborted: true }, checkEvery: 1 }, 'cancelled'],
    ];
    for (const [opts, reason] of cases) {
      const r = run(big(), { preemptions: 3, ...opts });
      assert.equal(r.complete, false, reason);
      assert.equal(r.reason, reason);
    }
  });
}

test('budget: a token that flips mid-search stops it soon after', () => {
  let reads = 0;
  const signal = { get aborted() { return ++reads > 5; } };
  const r = dfs(big(), { signal, checkEvery: 64 });
  assert.equal(r.reason, 'cancelled');
  assert.ok(r.states <= 6 * 64 + 1, `${r.states} states`);
});

test('budget: the same small search is complete', () => {
  const r = dfs(counters({ threads: 2, steps: 2, shared: true }) as System<unknown>, { maxStates: 1000, maxDepth: 100 });
  assert.equal(r.complete, true);
  assert.equal(r.reason, undefined);
});

test('a scenario\'s search has a heap ceiling unless the caller sets its own', () => {
  const bounds = { preemptions: 1, states: 10, depth: 20 };
  assert.equal(optionsFromBounds(bounds).maxHeapBytes, DEFAULT_MAX_HEAP_BYTES);
  assert.equal(optionsFromBounds(bounds, { maxHeapBytes: 5 }).maxHeapBytes, 5);
});
