// The model's semantic defects a-e of issue 12, each with a patch of its own (test/fixtures/history):
// a document in, the model tier's (rule, status) pairs out, the whole set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { verdicts } from './verdicts';

test('b: a fault that maps a page whose read is still in flight breaks mapped-uptodate although the page is locked', async () => {
  await initEngine();
  const { era, pairs } = verdicts('2.6.10-nopage-no-uptodate-check.patch');
  assert.deepEqual(era, ['2.6.10']);
  assert.deepEqual(pairs, [
    'dio-coherency:remaining', 'dirty-data-loss:remaining', 'dirty-uptodate:remaining', 'mapped-uptodate:introduced',
    'mapped-uptodate:remaining',
  ]);
});

test('c: a reader that waits on the page lock it holds itself never wakes (after ->readpage the lock is the I/O\'s)', async () => {
  await initEngine();
  const { era, pairs } = verdicts('2.6.10-read-waits-under-own-lock.patch');
  assert.deepEqual(era, ['2.6.10']);
  // The note: the read's failure, which the context tests, never happens in the model.
  assert.deepEqual(pairs, ['deadlock:introduced', 'unmodeled:remaining']);
});

test('d: a read takes the disk\'s data before an O_DIRECT write lands and completes after it: an invalidation that skips locked pages leaves it stale', async () => {
  await initEngine();
  const { era, pairs } = verdicts('2.6.10-iip2-skips-locked.patch');
  assert.deepEqual(era, ['2.6.10']);
  assert.deepEqual(pairs, [
    'dio-coherency:introduced', 'dio-coherency:remaining', 'dirty-data-loss:remaining', 'dirty-uptodate:remaining',
    'mapped-uptodate:remaining',
  ]);
});
