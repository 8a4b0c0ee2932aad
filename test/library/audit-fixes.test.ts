// Behaviour that the audit against the real source (model/library/README.md) changed, each with a
// patch of its own (test/fixtures/history): a document in, the model tier's (rule, status) pairs
// out, the whole set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { verdicts } from './verdicts';

test('2.6.10: filemap_nopage reads a page that is not uptodate once more; a patch that maps it whatever that read did maps a failed read', async () => {
  await initEngine();
  // The hunk's context (ClearPageError, then the second ->readpage) exists only since the audit
  // restored the retry: before, the hunk fell on the first read and the era chooser picked 2.5.70.
  const { era, pairs, inScenario } = verdicts('2.6.10-nopage-retry-maps-failed-read.patch');
  assert.deepEqual(era, ['2.6.10']);
  assert.deepEqual(pairs, [
    'dio-coherency:remaining', 'dirty-data-loss:remaining', 'dirty-uptodate:remaining', 'mapped-uptodate:introduced',
    'mapped-uptodate:remaining', 'unmodeled:fixed', 'unmodeled:remaining',
  ]);
  // Only reads that fail reach the second read: every read fails in fault-read-error.
  assert.deepEqual(inScenario('fault-read-error'), ['mapped-uptodate:introduced', 'unmodeled:remaining']);
});

test('2.6.18: try_to_release_page refuses a page under writeback, so an invalidation that no longer waits for writeback fails on it', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.18-iip2-no-writeback-wait.patch');
  assert.deepEqual(era, ['2.6.18']);
  assert.deepEqual(pairs, [
    'aio-complete-once:remaining', 'dirty-data-loss:remaining', 'invalidate-eio:introduced',
    'invalidate-eio:remaining', 'livelock:remaining',
  ]);
  // introduced: the failure's cause is the page's buffers (it is under writeback). remaining: the
  // count that pdflush's reference raises fails it on both sides (each cause keeps its witness).
  assert.deepEqual(inScenario('invalidate-vs-writeback'), ['invalidate-eio:introduced', 'invalidate-eio:remaining']);
});
