// The state a trace carries beyond the pages (DESIGN section 8): iocbs, the patch's locals and
// the results that decide the verdict. Seed 002 in, on its asynchronous O_DIRECT write: the
// steps whose effect names a result, and the state after them, out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze, runScenario } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { RunStep } from '../../server/src/verdict/scenario-run';

import { seedPath, seedsSkip } from '../support/seeds';

const seed = (prefix: string): string => readFileSync(seedPath(prefix), 'utf8');

/** The parts of a step's effect that name a result: a returned local's change, a return, an iocb's result. */
function results(steps: readonly RunStep[]): string[][] {
  return steps
    .map((s) => [s.thread, ...s.effect.split('; ').filter((e) => /^(\w+: )?\w+→-?(\d|E)|returned|: result/.test(e))])
    .filter((x) => x.length > 1);
}

test('aio-dio-write on seed 002: before the patch -EIO replaces -EIOCBQUEUED while the iocb is queued; after it the error comes before any I/O is queued', { skip: seedsSkip() }, async () => {
  await initEngine();
  const run = runScenario(analyze(seed('002'), '002.txt'), 'aio-dio-write');
  assert.deepEqual(results(run.pre!.steps), [
    ['aio', 'generic_file_direct_IO: retval→0'],
    ['aio', 'retval→-EIOCBQUEUED'],
    ['aio', 'generic_file_direct_IO returned -EIO'],
    ['aio', 'aio returned -EIO', 'iocb 1: result -EIO'],
  ]);
  assert.deepEqual(results(run.post!.steps), [
    ['aio', 'generic_file_direct_IO: retval→0'],
    ['aio', 'generic_file_direct_IO returned -EIO'],
    ['aio', 'aio returned -EIO', 'iocb 1: result -EIO'],
  ]);
  // The state after each step: the iocb, and the patch's frame with its locals.
  const queued = run.pre!.steps.find((s) => s.effect.includes('retval→-EIOCBQUEUED'))!;
  assert.deepEqual(queued.iocbs, [{ id: 1, sync: false, queued: true, completions: 0 }]);
  assert.equal(queued.locals?.find((t) => t.thread === 'aio')?.frames.find((f) => f.function === 'generic_file_direct_IO')?.locals.retval, '-529 (-EIOCBQUEUED)');
  const last = run.pre!.steps.at(-1)!;
  assert.equal(last.locals?.find((t) => t.thread === 'aio')?.returned, '-5 (-EIO)');
  assert.deepEqual(run.post!.steps.at(-1)!.iocbs, [{ id: 1, sync: false, queued: false, completions: 1, result: '-5 (-EIO)' }]);
});

test('invalidate-vs-fault on seed 000: the livelock after the patch carries its lasso, a loop that comes back to the state it left', { skip: seedsSkip() }, async () => {
  await initEngine();
  const run = runScenario(analyze(seed('000'), '000.txt'), 'invalidate-vs-fault');
  const live = run.post!.violations.filter((v) => v.rule === 'livelock');
  assert.equal(live.length, 1);
  const { lasso, message } = live[0]!;
  assert.ok(lasso, 'a lasso');
  const steps = run.post!.steps;
  assert.equal(lasso.to, steps.length - 1, 'the loop ends the trace');
  assert.equal(`cycle from step ${lasso.from + 1}`, /cycle from step \d+/.exec(message)?.[0]);
  assert.ok(lasso.from > 0 && lasso.to > lasso.from);
  // Going round the loop changes nothing in the end: the state before its first step is the state after its last.
  const before = steps[lasso.from - 1]!;
  const after = steps[lasso.to]!;
  assert.deepEqual([after.pages, after.locals, after.iocbs], [before.pages, before.locals, before.iocbs]);
  // Before the patch nothing loops.
  assert.deepEqual(run.pre!.violations.filter((v) => v.lasso), []);
});
