import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bench } from './prim-helpers';
import { StateKeys } from '../../server/src/model/state-key';

test('lock_page takes a free lock, sleeps on a held one; unlock_page frees it', () => {
  const b = new Bench([{ index: 0 }]);
  assert.equal(b.call('lock_page', b.ref(0)), 0n);
  assert.equal(b.page(0).locked, 'a');
  b.tid = 'b';
  assert.ok(b.blocked(b.call('lock_page', b.ref(0))));
  assert.ok(b.blocked(b.call('wait_on_page_locked', b.ref(0))));
  b.tid = 'a';
  b.call('unlock_page', b.ref(0));
  assert.equal(b.page(0).locked, null);
});

test('TestSetPageLocked and trylock_page never sleep', () => {
  const b = new Bench([{ index: 0 }]);
  assert.equal(b.call('TestSetPageLocked', b.ref(0)), 0n);
  assert.equal(b.call('TestSetPageLocked', b.ref(0)), 1n);
  assert.equal(b.call('trylock_page', b.ref(0)), 0n);
  b.call('unlock_page', b.ref(0));
  assert.equal(b.call('trylock_page', b.ref(0)), 1n);
});

test('lock-order: a lower page lock taken while a higher one is held', () => {
  const b = new Bench([{ index: 0 }, { index: 1 }]);
  b.call('lock_page', b.ref(1));
  b.call('lock_page', b.ref(0));
  assert.equal(b.violations[0]?.rule, 'lock-order');
});

test('wait_on_page_writeback sleeps while PG_writeback is set', () => {
  const b = new Bench([{ index: 0, writeback: true }]);
  assert.ok(b.blocked(b.call('wait_on_page_writeback', b.ref(0))));
  b.call('end_page_writeback', b.ref(0));
  assert.equal(b.call('wait_on_page_writeback', b.ref(0)), 0n);
  b.call('set_page_writeback', b.ref(0));
  assert.equal(b.page(0).writeback, true);
});

test('flag tests read the page', () => {
  const b = new Bench([{ index: 0, uptodate: true, dirty: true, writeback: true, mapped: true }]);
  for (const n of ['PageUptodate', 'PageDirty', 'PageWriteback', 'PagePrivate', 'page_has_buffers', 'page_mapped']) {
    assert.equal(b.call(n, b.ref(0)), 1n, n);
  }
  assert.equal(b.call('PageLocked', b.ref(0)), 0n);
  assert.equal(b.call('page_count', b.ref(0)), 2n);
  assert.equal(b.call('page_mapcount', b.ref(0)), 1n);
});

test('PG_error: set by a failed I/O, cleared before a read is tried again; a cleared page keys like a clear one', () => {
  const b = new Bench([{ index: 0 }]);
  assert.equal(b.call('PageError', b.ref(0)), 0n);
  b.call('SetPageError', b.ref(0));
  assert.equal(b.call('PageError', b.ref(0)), 1n);
  b.call('ClearPageError', b.ref(0));
  assert.equal(b.call('PageError', b.ref(0)), 0n);
  // Undefined rather than false, so a page whose error was cleared keys like one that never had it.
  assert.equal(b.page(0).error, undefined);
  const keys = new StateKeys();
  assert.equal(keys.number(b.page(0)), keys.number(new Bench([{ index: 0 }]).page(0)));
});

test('Set/ClearPageUptodate change PG_uptodate and demand the page lock', () => {
  const b = new Bench([{ index: 0 }]);
  b.call('ClearPageUptodate', b.ref(0));
  assert.equal(b.page(0).uptodate, false);
  assert.equal(b.violations[0]?.rule, 'flag-without-lock');
  b.call('lock_page', b.ref(0));
  b.call('SetPageUptodate', b.ref(0));
  assert.equal(b.page(0).uptodate, true);
  assert.equal(b.violations.length, 1);
});

test('set_page_dirty dirties ext3 buffers; the clear family leaves buffers dirty', () => {
  const b = new Bench([{ index: 0 }]);
  assert.equal(b.call('set_page_dirty', b.ref(0)), 1n);
  assert.deepEqual([b.page(0).dirty, b.page(0).buffers], [true, 'dirty']);
  assert.equal(b.call('set_page_dirty', b.ref(0)), 0n);
  for (const n of ['test_clear_page_dirty', 'clear_page_dirty', 'ClearPageDirty', 'TestClearPageDirty', 'clear_page_dirty_for_io']) {
    b.call('SetPageDirty', b.ref(0));
    assert.equal(b.call(n, b.ref(0)), 1n, n);
    assert.deepEqual([b.page(0).dirty, b.page(0).buffers], [false, 'dirty'], n);
  }
});

test('nfs pages have no buffers to dirty', () => {
  const b = new Bench([{ index: 0 }], { fs: 'nfs' });
  b.call('set_page_dirty', b.ref(0));
  assert.deepEqual([b.page(0).dirty, b.page(0).buffers], [true, 'none']);
});

test('reference counting: get/put and their aliases', () => {
  const b = new Bench([{ index: 0 }]);
  for (const n of ['page_cache_get', 'get_page']) b.call(n, b.ref(0));
  assert.equal(b.page(0).count, 3);
  for (const n of ['page_cache_release', 'put_page']) b.call(n, b.ref(0));
  assert.equal(b.page(0).count, 1);
  assert.deepEqual(b.page(0).holders, {});
});

test('try_to_release_page frees clean buffers, fails on dirty or pinned ones and on a page under writeback', () => {
  const b = new Bench([{ index: 0 }, { index: 1, buffers: 'dirty' }, { index: 2, buffers: 'pinned' }, { index: 3, writeback: true }]);
  assert.equal(b.call('try_to_release_page', b.ref(0), 0n), 1n);
  assert.equal(b.page(0).buffers, 'none');
  assert.equal(b.call('try_to_release_page', b.ref(1), 0n), 0n);
  assert.equal(b.call('try_to_release_page', b.ref(2), 0n), 0n);
  assert.equal(b.call('try_to_release_page', b.ref(3), 0n), 0n);
  assert.equal(b.page(3).buffers, 'clean');
  b.call('do_invalidatepage', b.ref(1), 0n);
  assert.equal(b.page(1).buffers, 'none');
});

test('page_address is the page itself', () => {
  const b = new Bench([{ index: 0 }]);
  assert.deepEqual(b.call('page_address', b.ref(0)), b.ref(0));
});
