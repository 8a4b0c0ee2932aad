import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PRIMITIVES } from '../../server/src/model/primitives';
import { mkRef, type Value } from '../../server/src/model/values';
import { Bench, exercised, INODE, MAP, MM } from './prim-helpers';
import './primitives-pages.test';
import './primitives-cache.test';
import './primitives-mapping.test';

const IOCB_SYNC = mkRef('iocb', 1);
const IOCB_ASYNC = mkRef('iocb', 2);

test('writeback: writepage starts I/O, the disk gets the data at completion; fdatawrite writes dirty pages', () => {
  const b = new Bench([{ index: 0, dirty: true }, { index: 1, dirty: true }]);
  b.call('lock_page', b.ref(0));
  b.call('writepage', b.ref(0), 0n);
  assert.deepEqual([b.page(0).writeback, b.page(0).locked, b.page(0).buffers], [true, null, 'clean']);
  assert.deepEqual(b.spawned, ['wb']);
  assert.ok(b.blocked(b.call('filemap_fdatawait', MAP)));
  for (const n of ['filemap_fdatawrite', 'filemap_flush', 'filemap_write_and_wait']) assert.equal(b.call(n, MAP), 0n, n);
  assert.equal(b.page(1).dirty, false);
  assert.equal(b.s.disk[1], b.page(1).data);
});

test('nfs_wb_page writes a dirty locked page to the server at once and keeps it locked; a clean page is left alone', () => {
  const b = new Bench([{ index: 0, dirty: true }, { index: 1 }], { fs: 'nfs', era: '2.6.20' });
  b.call('lock_page', b.ref(0));
  assert.equal(b.call('nfs_wb_page', INODE, b.ref(0)), 0n);
  assert.deepEqual([b.page(0).dirty, b.page(0).locked, b.s.disk[0] === b.page(0).data], [false, 'a', true]);
  const disk1 = b.s.disk[1];
  b.call('lock_page', b.ref(1));
  assert.equal(b.call('nfs_wb_page', INODE, b.ref(1)), 0n);
  assert.equal(b.s.disk[1], disk1);
});

test('direct_IO: a sync write puts new versions on disk and returns the bytes', () => {
  const b = new Bench([{ index: 0 }]);
  const iov = b.struct('iov', { iov_len: 4096n });
  assert.equal(b.call('iov_length', iov, 1n), 4096n);
  assert.equal(b.call('direct_IO', 1n, IOCB_SYNC, iov, 0n, 1n), 4096n);
  assert.ok(b.s.disk[0] > 0);
  assert.equal(b.s.ghost.writes[0]?.kind, 'dio');
  assert.equal(b.call('blockdev_direct_IO', 1n, IOCB_SYNC, INODE, 0n, iov, 4096n, 1n), 4096n);
  assert.ok(b.s.disk[1] > 0);
});

test('direct_IO: an async kiocb is queued (-EIOCBQUEUED) and a completion thread started; errors are a choice', () => {
  const b = new Bench([{ index: 0 }], { fs: 'ext3', directIOErrors: [-5n] });
  const iov = b.struct('iov', { iov_len: 4096n });
  assert.equal(b.call('direct_IO', 1n, IOCB_ASYNC, iov, 0n, 1n), -529n);
  assert.deepEqual([b.s.iocbs[2].queued, b.spawned], [true, ['bio']]);
  b.choice = 1;
  assert.equal(b.call('direct_IO', 1n, IOCB_SYNC, iov, 0n, 1n), -5n);
});

test('readpage starts a read completed by an io thread that owns the page lock, so its caller waits for it too; i_size accessors', () => {
  const b = new Bench([{ index: 0, uptodate: false }]);
  b.call('lock_page', b.ref(0));
  b.call('readpage', 0n, b.ref(0));
  assert.deepEqual([b.page(0).reading, b.spawned, b.page(0).locked], [true, ['io'], 'io1']);
  assert.ok(b.blocked(b.call('wait_on_page_locked', b.ref(0))));
  assert.equal(b.call('i_size_read', INODE), 8192n);
  b.call('i_size_write', INODE, 0n);
  assert.equal(b.call('i_size_read', INODE), 0n);
});

test('aio_complete counts completions; a second one is aio-complete-once; wait_on_sync_kiocb waits for the first', () => {
  const b = new Bench([{ index: 0 }]);
  assert.ok(b.blocked(b.call('wait_on_sync_kiocb', IOCB_SYNC)));
  assert.equal(b.call('is_sync_kiocb', IOCB_SYNC), 1n);
  assert.equal(b.call('is_sync_kiocb', IOCB_ASYNC), 0n);
  b.call('aio_complete', IOCB_ASYNC, 4096n, 0n);
  assert.equal(b.violations.length, 0);
  b.call('aio_complete', IOCB_ASYNC, -5n, 0n);
  assert.equal(b.violations[0]?.rule, 'aio-complete-once');
  b.call('aio_complete', IOCB_SYNC, 4096n, 0n);
  assert.equal(b.call('wait_on_sync_kiocb', IOCB_SYNC), 4096n);
});

test('spinlocks: a held lock blocks (also for its holder); sleeping while holding one is sleep-in-atomic territory', () => {
  const b = new Bench([{ index: 0 }]);
  const names = ['spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'read_lock', 'read_lock_irq', 'write_lock', 'write_lock_irq', 'write_lock_irqsave'];
  const unnames = ['spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'read_unlock', 'read_unlock_irq', 'write_unlock', 'write_unlock_irq', 'write_unlock_irqrestore'];
  names.forEach((n, i) => {
    const l = mkRef('mapping', 1, `lock${i}`);
    assert.equal(b.call(n, l), 0n);
    assert.deepEqual(b.s.threads[0].spins, [`mapping:1.lock${i}`]);
    assert.ok(b.blocked(b.call(n, l)), `${n} twice`);
    b.call(unnames[i], l);
    assert.deepEqual(b.s.threads[0].spins, []);
  });
  assert.equal(b.call('spin_trylock', mkRef('mm', 1, 'page_table_lock')), 1n);
  assert.equal(b.call('spin_trylock', mkRef('mm', 1, 'page_table_lock')), 0n);
});

test('semaphores, mutexes and rw-semaphores', () => {
  const b = new Bench([{ index: 0 }]);
  const sem = mkRef('inode', 1, 'i_sem');
  for (const [take, give] of [['down', 'up'], ['down_write', 'up_write'], ['mutex_lock', 'mutex_unlock']]) {
    b.call(take, sem);
    b.tid = 'b';
    assert.ok(b.blocked(b.call(take, sem)), take);
    assert.equal(b.call('down_trylock', sem), 1n);
    b.tid = 'a';
    b.call(give, sem);
  }
  const rw = mkRef('mm', 1, 'mmap_sem');
  b.call('down_read', rw);
  b.tid = 'b';
  b.call('down_read', rw);
  assert.ok(b.blocked(b.call('down_write', rw)));
  b.call('up_read', rw);
  b.tid = 'a';
  b.call('up_read', rw);
  assert.equal(b.call('down_trylock', rw), 0n);
});

test('atomics on model fields', () => {
  const b = new Bench([{ index: 0 }]);
  const tc = mkRef('mapping', 1, 'truncate_count');
  b.call('atomic_set', tc, 5n);
  b.call('atomic_inc', tc);
  b.call('atomic_add', 2n, tc);
  b.call('atomic_sub', 1n, tc);
  b.call('atomic_dec', tc);
  assert.equal(b.call('atomic_read', tc), 6n);
  assert.equal(b.call('atomic_inc_return', tc), 7n);
  b.call('atomic_set', tc, 1n);
  assert.equal(b.call('atomic_dec_and_test', tc), 1n);
});

test('marked accesses read and write the field they point at (plain accesses under sc; weak mode: test/model/litmus)', () => {
  const b = new Bench([{ index: 0 }]);
  const size = mkRef('inode', 1, 'i_size');
  b.call('WRITE_ONCE', size, 8192n);
  assert.equal(b.call('READ_ONCE', size), 8192n);
  b.call('smp_store_release', size, 4096n);
  assert.equal(b.call('smp_load_acquire', size), 4096n);
  assert.equal(b.s.inodes[1].size, 4096n);
});

test('scheduling points, allocation, printk, hints and assertions', () => {
  const b = new Bench([{ index: 0 }]);
  for (const n of ['cond_resched', 'schedule', 'yield', 'might_sleep', 'kfree', 'printk']) assert.equal(b.call(n), 0n, n);
  const m = b.call('kmalloc', 64n, 0n);
  assert.ok(typeof m === 'object' && 'ref' in m && m.ref === 'struct');
  assert.equal(b.call('likely', 3n), 3n);
  assert.equal(b.call('unlikely', 0n), 0n);
  b.call('BUG_ON', 0n);
  assert.equal(b.violations.length, 0);
  b.call('BUG_ON', 1n);
  b.call('BUG');
  assert.deepEqual(b.violations.map((v) => v.rule), ['bug-on', 'bug-on']);
  assert.equal(b.call('WARN_ON', 1n), 1n);
  assert.equal(b.notes.length, 1);
});

test('page tables: slots, pte values, install, clear, stores', () => {
  const b = new Bench([{ index: 0, mapped: true }, { index: 1 }]);
  const pmd = b.value('pmd_offset', MM, 0n);
  const slot0 = b.value('pte_offset_map', pmd, 0n);
  const slot1 = b.value('pte_offset_map', pmd, 4096n);
  assert.deepEqual([slot0, slot1], [mkRef('pte', '1:0'), mkRef('pte', '1:1')]);
  const pte = b.value('mk_pte', b.ref(1), 0n);
  assert.equal(b.call('pte_present', pte), 1n);
  assert.equal(b.call('pte_none', 0n), 1n);
  assert.equal(b.call('pte_dirty', pte), 0n);
  const dirty = b.value('pte_mkwrite', b.value('pte_mkdirty', pte));
  assert.equal(b.call('pte_dirty', dirty), 1n);
  assert.deepEqual(b.call('pte_page', dirty), b.ref(1));
  b.call('set_pte', slot1, pte);
  assert.deepEqual(b.page(1).ptes, ['1:1']);
  b.call('user_store_pte', slot1);
  assert.equal(b.s.mms[1].ptes[1]?.dirty, true);
  assert.equal(b.s.ghost.writes.at(-1)?.kind, 'store');
  const old = b.value('ptep_get_and_clear', slot1);
  assert.equal(b.call('pte_dirty', old), 1n);
  // The slot is empty but the page stays mapped until page_remove_rmap drops the mapcount
  // (the kernel's zap hands the dirty bit to the page in between).
  assert.equal(b.s.mms[1].ptes[1], undefined);
  assert.deepEqual(b.page(1).ptes, ['1:1']);
  assert.equal(b.call('page_mapped', b.ref(1)), 1n);
  b.call('page_remove_rmap', b.ref(1));
  assert.deepEqual(b.page(1).ptes, []);
  // Page 0's pte is still installed: there is no cleared pte of it to drop.
  b.call('page_remove_rmap', b.ref(0));
  assert.deepEqual(b.page(0).ptes, ['1:0']);
  b.call('copy_page_to_user', b.ref(0));
  for (const n of ['pte_unmap', 'page_add_rmap', 'page_add_file_rmap', 'pte_chain_free', 'flush_tlb_page', 'update_mmu_cache',
    'lazy_mmu_prot_update', 'mark_page_accessed', 'smp_rmb', 'smp_wmb', 'smp_mb', 'barrier', 'balance_dirty_pages_ratelimited']) {
    assert.equal(b.call(n, slot0), 0n, n);
  }
  assert.notEqual(b.call('pte_chain_alloc', 0n), 0n);
  assert.equal(b.call('min', 3n, 2n), 2n);
  assert.equal(b.call('max', 3n, 2n), 3n);
});

after(() => {
  // Every registered primitive was exercised by some test above (and each has a doc line).
  const missing = [...PRIMITIVES.keys()].filter((n) => !exercised.has(n));
  assert.deepEqual(missing, []);
  for (const p of PRIMITIVES.values()) assert.ok(p.doc.length > 5, p.name);
});
