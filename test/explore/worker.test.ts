import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WorkerPool, type RunHandle } from '../../server/src/explore/worker-pool';
import { runJob } from '../../server/src/explore/registry';
import { COUNTERS_KIND } from './systems/counters';
import type { Progress } from '../../server/src/explore/search';

const workerFile = join(__dirname, 'systems/tsx-worker.mjs');
const pool = () => new WorkerPool({ workerFile, size: 2 });

test('worker: runs a job and returns the same result as in-process', async () => {
  const p = pool();
  try {
    const job = { kind: COUNTERS_KIND, params: { threads: 2, steps: 2, shared: true }, strategy: 'dpor' as const };
    const r = await p.run(job).result;
    assert.equal(r.complete, true);
    assert.deepEqual(r.violations.map((v) => v.rule), ['lost-update']);
    const local = runJob(job);
    assert.deepEqual(r.violations, local.violations);
    assert.equal(r.states, local.states);
  } finally {
    await p.close();
  }
});

test('worker: a big search reports progress and stops when cancelled', async () => {
  const p = pool();
  try {
    const seen: Progress[] = [];
    let h: RunHandle | undefined;
    h = p.run({ kind: COUNTERS_KIND, params: { threads: 7, steps: 9 }, strategy: 'dfs', options: { checkEvery: 512 } }, (pr) => {
      seen.push(pr);
      if (seen.length === 3) h?.cancel();
    });
    const r = await h.result;
    assert.equal(r.complete, false);
    assert.equal(r.reason, 'cancelled');
    assert.ok(seen.length >= 3);
    assert.ok(r.states < 10 ** 7, `${r.states} states of 10^7`);
  } finally {
    await p.close();
  }
});

test('worker: an unknown kind is an error, not a hang', async () => {
  const p = pool();
  try {
    await assert.rejects(p.run({ kind: 'nope', strategy: 'dfs' }).result, /unknown system kind/);
  } finally {
    await p.close();
  }
});
