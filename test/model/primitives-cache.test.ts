import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isList, mkRef } from '../../server/src/model/values';
import { Bench, MAP } from './prim-helpers';

test('find_get_page takes a reference; NULL for a hole', () => {
  const b = new Bench([{ index: 0 }]);
  assert.deepEqual(b.call('find_get_page', MAP, 0n), b.ref(0));
  assert.equal(b.page(0).count, 2);
  assert.equal(b.call('find_get_page', MAP, 1n), 0n);
});

test('find_lock_page locks, or sleeps while another holds the lock', () => {
  const b = new Bench([{ index: 0 }]);
  b.tid = 'b';
  b.call('lock_page', b.ref(0));
  b.tid = 'a';
  assert.ok(b.blocked(b.call('find_lock_page', MAP, 0n)));
  b.page(0).locked = null;
  assert.deepEqual(b.call('find_lock_page', MAP, 0n), b.ref(0));
  assert.equal(b.page(0).locked, 'a');
});

test('page allocation and add_to_page_cache insert a locked page; a taken slot is -EEXIST', () => {
  const b = new Bench([{ index: 0 }]);
  for (const alloc of ['page_cache_alloc', 'page_cache_alloc_cold', 'alloc_page']) {
    const p = b.call(alloc, MAP);
    assert.ok(typeof p === 'object' && 'ref' in p && p.ref === 'page', alloc);
  }
  const p = b.value('page_cache_alloc_cold', MAP);
  assert.equal(b.call('add_to_page_cache_lru', p, MAP, 0n, 0n), -17n);
  assert.equal(b.call('add_to_page_cache', p, MAP, 1n, 0n), 0n);
  assert.equal(b.page(1).locked, 'a');
  assert.equal(b.page(1).count, 2);
  assert.equal(b.page(1).uptodate, false);
});

test('remove_from_page_cache drops the page from the cache and checks the lock', () => {
  const b = new Bench([{ index: 0 }, { index: 1 }]);
  const p0 = b.ref(0);
  b.call('lock_page', p0);
  b.call('remove_from_page_cache', p0);
  assert.equal(b.s.mappings[1].pages[0], undefined);
  assert.equal(b.violations.length, 0);
  b.call('__remove_from_page_cache', b.ref(1));
  assert.equal(b.violations[0]?.rule, 'flag-without-lock');
});

test('pagevecs: init, lookup with references, count, release', () => {
  const b = new Bench([{ index: 0 }, { index: 1 }, { index: 2 }]);
  const pv = b.struct('pvec');
  b.call('pagevec_init', pv, 0n);
  assert.equal(b.call('pagevec_lookup', pv, MAP, 1n, 14n), 2n);
  assert.equal(b.call('pagevec_count', pv), 2n);
  const pages = b.ctx().getField(pv as never, 'pages');
  assert.ok(isList(pages) && pages.list.length === 2);
  assert.deepEqual([b.page(0).count, b.page(1).count, b.page(2).count], [1, 2, 2]);
  b.call('pagevec_release', pv);
  assert.deepEqual([b.page(1).count, b.page(2).count], [1, 1]);
  assert.equal(b.call('pagevec_count', pv), 0n);
});

test('truncate_complete_page and truncate_inode_pages (fallbacks) empty the cache', () => {
  const b = new Bench([{ index: 0, dirty: true }, { index: 1 }, { index: 2 }]);
  const p0 = b.ref(0);
  b.call('lock_page', p0);
  b.call('truncate_complete_page', MAP, p0);
  assert.equal(b.s.pages[Number((p0 as { id: string }).id)].mapping, null);
  b.tid = 'b';
  b.call('lock_page', b.ref(2));
  b.tid = 'a';
  assert.ok(b.blocked(b.call('truncate_inode_pages', MAP, 4096n)));
  b.s.pages[b.s.mappings[1].pages[2]].locked = null;
  assert.equal(b.call('truncate_inode_pages', MAP, 4096n), 0n);
  assert.deepEqual(b.s.mappings[1].pages, {});
  assert.ok(mkRef('page', 1));
});
