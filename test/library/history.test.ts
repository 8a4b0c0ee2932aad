// Patches of the kernel's own later history, written for these tests against the era libraries
// (test/fixtures/history): a document in, the model tier's (rule, status) pairs out, the whole
// set. They check that each era's library behaves as its release did (DESIGN sections 5 and 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { verdicts } from './verdicts';

test('2.6.18: the count check in invalidate_complete_page fixes the re-mapping race and brings the elevated-count -EIO', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.18-count-check.patch');
  assert.deepEqual(era, ['2.6.18']);
  assert.deepEqual(pairs, [
    'aio-complete-once:remaining', 'dio-coherency:fixed', 'dirty-data-loss:remaining',
    'dirty-uptodate:fixed', 'invalidate-eio:introduced', 'invalidate-eio:remaining',
    'livelock:remaining', 'mapped-uptodate:fixed',
  ]);
  // A count check adds failures and removes none: the -EIO on buffers (dio-write-vs-mmap-write)
  // stays. It read as fixed while each side kept one invalidate-eio witness per rule, and the
  // post side's happened to be the elevated count.
  assert.deepEqual(inScenario('dio-write-vs-mmap-write').filter((p) => p.startsWith('invalidate-eio:')), ['invalidate-eio:introduced', 'invalidate-eio:remaining']);
});

test('2.6.18.1: invalidate_complete_page2 ignores the count: the elevated-count -EIO is fixed and the race is back', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.18.1-iip2-ignores-count.patch');
  assert.deepEqual(era, ['2.6.18']);
  assert.deepEqual(pairs, [
    'aio-complete-once:remaining', 'dio-coherency:introduced', 'dirty-data-loss:remaining',
    'dirty-uptodate:introduced', 'invalidate-eio:fixed', 'invalidate-eio:remaining',
    'livelock:remaining', 'mapped-uptodate:introduced',
  ]);
  // Ignoring the count introduces no -EIO: the failure on buffers it was charged with
  // (dio-write-vs-mmap-write) is the pre side's too, once each cause keeps its own witness.
  assert.deepEqual(inScenario('dio-write-vs-mmap-write').filter((p) => p.startsWith('invalidate-eio:')), ['invalidate-eio:fixed', 'invalidate-eio:remaining']);
});

test('2.6.10: an -EIO that replaces -EIOCBQUEUED of an asynchronous O_DIRECT write completes the iocb twice', async () => {
  await initEngine();
  const { era, pairs } = verdicts('2.6.10-aio-eio.patch');
  assert.deepEqual(era, ['2.6.10']);
  // dio-coherency holds once the write reports failure, which is why it counts as fixed. The
  // unmodeled note: the model's filemap_write_and_wait() never fails, whose result is tested.
  assert.deepEqual(pairs, [
    'aio-complete-once:introduced', 'dio-coherency:fixed', 'dirty-data-loss:remaining', 'dirty-uptodate:remaining',
    'mapped-uptodate:remaining', 'unmodeled:remaining',
  ]);
});

test('2.6.18: a zap_pte_range that forgets the pte dirty bit loses stores (introduced, not remaining)', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.18-zap-forgets-dirty.patch');
  assert.deepEqual(era, ['2.6.18']);
  // dirty-data-loss remaining: NFS revalidation racing stores loses them before the patch too
  // (2.6.18 clears the dirt the unmap moved into the page, then drops it).
  assert.deepEqual(pairs, [
    'aio-complete-once:remaining', 'dirty-data-loss:introduced', 'dirty-data-loss:remaining', 'dirty-data-loss:widened',
    'invalidate-eio:fixed', 'invalidate-eio:introduced', 'invalidate-eio:remaining', 'livelock:remaining',
  ]);
  assert.deepEqual(inScenario('invalidate-vs-zap').filter((p) => p.startsWith('dirty-data-loss')), ['dirty-data-loss:introduced']);
  assert.deepEqual(inScenario('revalidate-vs-mmap-write').filter((p) => p.startsWith('dirty-data-loss')), ['dirty-data-loss:remaining']);
});

test('2.6.19: NFS gets ->launder_page: the store the unmap moved into the page reaches the server (narrowed: the re-fault race stays until 2.6.23)', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.19-nfs-launder-page.patch');
  assert.deepEqual(era, ['2.6.19']);
  assert.deepEqual(pairs, [
    'aio-complete-once:remaining', 'dio-coherency:remaining', 'dirty-data-loss:narrowed', 'dirty-data-loss:remaining',
    'dirty-uptodate:remaining', 'invalidate-eio:remaining', 'livelock:remaining', 'mapped-uptodate:remaining',
    'unmodeled:introduced',
  ]);
  // The unmodeled notes (issue 11.7): ext3 has no ->launder_page, and the writeback it starts
  // never fails in the model (that one leans on every scenario the new functions run in).
  // Before, the page's dirt is cleared and the page dropped with no preemption at all; after, a
  // store is lost only when its fault re-maps the page between the unmap and the drop (no page
  // lock in the fault path before 2.6.23).
  assert.deepEqual(inScenario('revalidate-vs-mmap-write'), ['dirty-data-loss:narrowed', 'dirty-uptodate:remaining', 'mapped-uptodate:remaining', 'unmodeled:introduced']);
});

test('2.6.23: a filemap_fault that drops the page lock before the pte is in lets invalidation and truncate drop the page it maps', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.23-fault-unlocks-early.patch');
  assert.deepEqual(era, ['2.6.23']);
  // Remaining on both sides, earned by 2.6.23's own code: the O_DIRECT write skips its second
  // invalidation whenever ->direct_IO returns a byte count (dio-coherency), an ext3 page a store
  // re-dirtied cannot be dropped (invalidate-eio, dirty-data-loss), and a read that keeps
  // failing is retried forever (livelock in fault-read-error, the bug of January 2008).
  assert.deepEqual(pairs, [
    'dio-coherency:remaining', 'dirty-data-loss:remaining', 'dirty-uptodate:introduced', 'invalidate-eio:remaining',
    'livelock:remaining', 'mapped-uptodate:introduced', 'stray-page:introduced',
  ]);
  assert.deepEqual(inScenario('truncate-vs-fault'), ['mapped-uptodate:introduced', 'stray-page:introduced']);
});

test('2.6.10: a filemap_nopage that maps the page whatever its read did maps a failed read (fault-read-error)', async () => {
  await initEngine();
  const { era, pairs, inScenario } = verdicts('2.6.10-nopage-maps-failed-read.patch');
  assert.deepEqual(era, ['2.6.10']);
  assert.deepEqual(pairs, [
    'dio-coherency:remaining', 'dirty-data-loss:remaining', 'dirty-uptodate:remaining', 'mapped-uptodate:introduced', 'mapped-uptodate:remaining',
    'unmodeled:fixed', 'unmodeled:remaining',
  ]);
  // Before, the failed read ends in SIGBUS and nothing is mapped. The notes (issue 11.7):
  // ->readpage's result never reports a failure, in any scenario (remaining, on the context);
  // the removed PageUptodate test looks for a failed read, which only fault-read-error has, so
  // that note names the other scenarios, not this one.
  assert.deepEqual(inScenario('fault-read-error'), ['mapped-uptodate:introduced', 'unmodeled:remaining']);
});
