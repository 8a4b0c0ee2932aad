/**
 * Every invariant, broken by one hand-written schedule and kept by another: on the era libraries
 * where the library has the code, else on small C functions written here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSchedule, type RunResult } from '../../server/src/model/schedule';
import type { RuleId } from '../../server/src/findings';
import type { PageSpec, ThreadSpec } from '../../server/src/scenarios/spec';
import { program, scenario } from './helpers';

const rules = (r: RunResult): string[] => [...new Set(r.violations.map((v) => v.rule))].sort();
const times = (t: string, n: number): string[] => Array<string>(n).fill(t);
const ALL: RuleId[] = ['mapped-uptodate', 'dirty-uptodate', 'stray-page', 'dio-coherency', 'dirty-data-loss', 'aio-complete-once',
  'invalidate-eio', 'deadlock', 'sleep-in-atomic', 'lock-order', 'flag-without-lock'];
const dio = (sync = true): ThreadSpec => ({ name: 'dio', entry: 'sys_dio_write', args: [{ ref: 'file' }, { iocb: { sync } }, 0] });

async function lib(era: string, threads: ThreadSpec[], pages: PageSpec[], schedule: string[] = [], epilogue = true, size?: number): Promise<RunResult> {
  const p = await program(era);
  const sc = scenario(threads, pages, ALL, { epilogue, ...(size === undefined ? {} : { file: { size, pages } }) });
  return runSchedule(p, sc, schedule, { era });
}

test('mapped-uptodate, dio-coherency, dirty-uptodate: 2.6.10 O_DIRECT write over a mapped, store-dirtied page', async () => {
  const r = await lib('2.6.10', [dio()], [{ index: 0, mapped: true, pteDirty: true }]);
  assert.deepEqual(rules(r), ['dio-coherency', 'dirty-data-loss', 'dirty-uptodate', 'mapped-uptodate']);
  assert.ok(r.complete);
});

test('kept: the same write over a cached page nobody maps', async () => {
  const r = await lib('2.6.10', [dio()], [{ index: 0 }]);
  assert.deepEqual(rules(r), []);
  assert.equal(r.state.mappings[1].pages[0], undefined, 'the page was invalidated');
});

const truncFault: ThreadSpec[] = [
  { name: 'fault', entry: 'user_fault', args: [{ ref: 'vma' }, 0] },
  { name: 'truncate', entry: 'sys_truncate', args: [{ ref: 'inode' }, 0] },
];
// The fault gets its page back from ->nopage (six visible steps), then truncate runs to the end, then the fault installs its pte.
const truncFaultSchedule = [...times('fault', 6), ...times('truncate', 200), ...times('fault', 200)];

test('stray-page: 2.5.70 truncate between ->nopage and the pte install leaves a pte on a truncated page', async () => {
  const r = await lib('2.5.70', truncFault, [{ index: 0 }], truncFaultSchedule, false, 4096);
  // The truncated page also lost PG_uptodate, so the stray pte maps a non-uptodate page.
  assert.deepEqual(rules(r), ['mapped-uptodate', 'stray-page']);
});

test('kept: 2.6.10 re-checks truncate_count and retries, so the fault sees SIGBUS', async () => {
  const r = await lib('2.6.10', truncFault, [{ index: 0 }], truncFaultSchedule, false, 4096);
  assert.deepEqual(rules(r), []);
  assert.deepEqual(r.state.mms[1].ptes, {});
});

test('aio-complete-once: 2.6.20 lets a failed invalidation clobber -EIOCBQUEUED (buffers the journal pins), so the iocb completes twice', async () => {
  const r = await lib('2.6.20', [dio(false)], [{ index: 0, buffers: 'pinned' }]);
  assert.ok(rules(r).includes('aio-complete-once'), JSON.stringify(r.violations));
});

test('kept: the same async write with no pinned page completes once', async () => {
  const r = await lib('2.6.20', [dio(false)], [{ index: 0 }]);
  assert.deepEqual(rules(r), []);
  assert.equal(r.state.iocbs[1].completions, 1);
});

const invalidator = (clear: boolean) => `
int drop(struct address_space *mapping)
{
	struct page *page = find_get_page(mapping, 0);
	int ret = 0;

	lock_page(page);
	unmap_mapping_range(mapping, 0, 0, 0);
	${clear ? 'clear_page_dirty(page);' : ''}
	if (!invalidate_complete_page(mapping, page))
		ret = -EIO;
	unlock_page(page);
	page_cache_release(page);
	return ret;
}`;

test('dirty-data-loss: nfs, the dirt a zap pushed into the page is cleared and the page dropped', async () => {
  const p = await program('2.6.10', invalidator(true));
  const r = runSchedule(p, scenario([{ name: 'inv', entry: 'drop', args: [{ ref: 'mapping' }] }], [{ index: 0, mapped: true, pteDirty: true }], ALL, { fs: 'nfs', epilogue: true }), [], { era: '2.6.10' });
  assert.deepEqual(rules(r), ['dirty-data-loss']);
});

test('kept: without the clear the dirty page cannot be dropped and the epilogue writes it back', async () => {
  const p = await program('2.6.10', invalidator(false));
  const r = runSchedule(p, scenario([{ name: 'inv', entry: 'drop', args: [{ ref: 'mapping' }] }], [{ index: 0, mapped: true, pteDirty: true }], ALL, { fs: 'nfs', epilogue: true }), [], { era: '2.6.10' });
  // No data is lost; the -EIO it returns for a page only its own unmap dirtied is spurious.
  assert.deepEqual(rules(r), ['invalidate-eio']);
  assert.equal(r.violations[0].reason, 'dirty');
});

test('invalidate-eio: on ext3 the invalidator\'s own unmap dirties the buffers, the drop fails, -EIO comes back', async () => {
  const p = await program('2.6.10', invalidator(true));
  const r = runSchedule(p, scenario([{ name: 'inv', entry: 'drop', args: [{ ref: 'mapping' }] }], [{ index: 0, mapped: true, pteDirty: true }], ALL), [], { era: '2.6.10' });
  assert.deepEqual(rules(r), ['invalidate-eio']);
  assert.equal(r.violations[0].reason, 'buffers');
});

test('kept: a page a user really pinned makes the -EIO genuine (2.6.18 checks the count)', async () => {
  const p = await program('2.6.18', invalidator(true));
  const r = runSchedule(p, scenario([{ name: 'inv', entry: 'drop', args: [{ ref: 'mapping' }] }], [{ index: 0, extraRefs: 1 }], ALL), [], { era: '2.6.18' });
  assert.equal(r.state.threads[0].ret, -5n);
  assert.deepEqual(rules(r), []);
});

test('kept: 2.6.10 has no count check, so a pinned page is dropped and nothing fails', async () => {
  const p = await program('2.6.10', invalidator(true));
  const r = runSchedule(p, scenario([{ name: 'inv', entry: 'drop', args: [{ ref: 'mapping' }] }], [{ index: 0, extraRefs: 1 }], ALL), [], { era: '2.6.10' });
  assert.equal(r.state.threads[0].ret, 0n);
  assert.deepEqual(rules(r), []);
});

const locker = (first: number, second: number, name: string) => `
void ${name}(struct address_space *mapping)
{
	struct page *a = find_get_page(mapping, ${first});
	struct page *b = find_get_page(mapping, ${second});

	lock_page(a);
	lock_page(b);
	unlock_page(b);
	unlock_page(a);
}`;

test('deadlock and lock-order: two threads lock two pages in opposite orders', async () => {
  const p = await program(undefined, locker(0, 1, 'up'), locker(1, 0, 'down'));
  const sc = scenario([{ name: 'a', entry: 'up', args: [{ ref: 'mapping' }] }, { name: 'b', entry: 'down', args: [{ ref: 'mapping' }] }], [{ index: 0 }, { index: 1 }], ALL);
  const r = runSchedule(p, sc, ['a', 'a', 'b', 'b', 'a', 'b', 'a', 'b']);
  assert.deepEqual(rules(r), ['deadlock', 'lock-order']);
});

test('kept: both in ascending order', async () => {
  const p = await program(undefined, locker(0, 1, 'up'));
  const sc = scenario([{ name: 'a', entry: 'up', args: [{ ref: 'mapping' }] }, { name: 'b', entry: 'up', args: [{ ref: 'mapping' }] }], [{ index: 0 }, { index: 1 }], ALL);
  const r = runSchedule(p, sc, ['a', 'a', 'b', 'b', 'a', 'b', 'a', 'b']);
  assert.deepEqual(rules(r), []);
  assert.ok(r.complete);
});

const atomic = (spin: boolean) => `
void f(struct address_space *mapping, struct mm_struct *mm)
{
	struct page *page = find_get_page(mapping, 0);

	${spin ? 'spin_lock(&mm->page_table_lock);' : ''}
	lock_page(page);
	unlock_page(page);
	${spin ? 'spin_unlock(&mm->page_table_lock);' : ''}
}`;

test('sleep-in-atomic: lock_page under page_table_lock; kept without the spinlock', async () => {
  for (const spin of [true, false]) {
    const p = await program(undefined, atomic(spin));
    const r = runSchedule(p, scenario([{ name: 't', entry: 'f', args: [{ ref: 'mapping' }, { ref: 'mm' }] }], [{ index: 0 }], ALL), []);
    assert.deepEqual(rules(r), spin ? ['sleep-in-atomic'] : []);
  }
});

const flag = (lock: boolean) => `
void f(struct address_space *mapping)
{
	struct page *page = find_get_page(mapping, 0);

	${lock ? 'lock_page(page);' : ''}
	ClearPageUptodate(page);
	SetPageUptodate(page);
	${lock ? 'unlock_page(page);' : ''}
}`;

test('flag-without-lock: PG_uptodate changed without the page lock; kept under it', async () => {
  for (const lock of [false, true]) {
    const p = await program(undefined, flag(lock));
    const r = runSchedule(p, scenario([{ name: 't', entry: 'f', args: [{ ref: 'mapping' }] }], [{ index: 0 }], ALL), []);
    assert.deepEqual(rules(r), lock ? [] : ['flag-without-lock']);
  }
});

test('BUG_ON with a true condition is a violated assertion of its own', async () => {
  const p = await program(undefined, 'void f(struct address_space *m) { BUG_ON(m->nrpages != 1); BUG_ON(m->nrpages == 1); }');
  const r = runSchedule(p, scenario([{ name: 't', entry: 'f', args: [{ ref: 'mapping' }] }], [{ index: 0 }], ALL), []);
  assert.deepEqual(r.violations.map((v) => v.rule), ['bug-on']);
});
