import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { holePages } from '../../server/src/model/primitives/mapping';
import { mkRef } from '../../server/src/model/values';
import { Bench, MAP, MM, VMA } from './prim-helpers';
import { initEngine } from '../support/engine';

// The era facts the primitives follow (eraTraits: 2.5's i_mmap_shared, no truncate_count bump)
// come from the era libraries' layer.json, which the engine is handed first.
before(() => initEngine());

test('holePages: a zero or -1 length reaches the end; one byte is one page', () => {
  const MAX = (1n << 64n) - 1n;
  assert.deepEqual(holePages(0n, 0n), [0n, MAX]);
  assert.deepEqual(holePages(4096n, -1n), [1n, MAX]);
  assert.deepEqual(holePages(0n, 1n), [0n, 0n]);
  assert.deepEqual(holePages(4096n, 4097n), [1n, 2n]);
});

test('unmap_mapping_range: a dirty pte dirties its page (and buffers) as it goes; truncate_count is bumped', () => {
  const b = new Bench([{ index: 0, mapped: true, pteDirty: true }, { index: 1, mapped: true }]);
  assert.equal(b.call('unmap_mapping_range', MAP, 0n, 4096n, 0n), 0n);
  assert.deepEqual([b.page(0).ptes, b.page(0).dirty, b.page(0).buffers, b.page(0).count], [[], true, 'dirty', 1]);
  assert.equal(b.page(0).dirtOrigin, 'zap:a');
  assert.equal(b.page(1).ptes.length, 1);
  assert.equal(b.s.mappings[1].truncateCount, 1);
  b.call('invalidate_mmap_range', MAP, 0n, 0n);
  assert.equal(b.page(1).ptes.length, 0);
});

test('unmapping waits while another thread holds page_table_lock', () => {
  const b = new Bench([{ index: 0, mapped: true }]);
  b.tid = 'b';
  b.call('spin_lock', mkRef('mm', 1, 'page_table_lock'));
  b.tid = 'a';
  assert.ok(b.blocked(b.call('unmap_mapping_range', MAP, 0n, 0n, 0n)));
});

test('pte_offset_map_lock takes page_table_lock (split pte locks off) and gives the slot; pte_unmap_unlock drops it', () => {
  const b = new Bench([{ index: 0, mapped: true }]);
  const pmd = b.value('pmd_offset', MM, 0n);
  const slot = b.value('pte_offset_map_lock', MM, pmd, 0n, 0n);
  assert.deepEqual(slot, b.value('pte_offset_map', pmd, 0n));
  assert.equal(b.s.locks['mm:1.page_table_lock']?.holder, 'a');
  b.tid = 'b';
  assert.ok(b.blocked(b.call('pte_offset_map_lock', MM, pmd, 0n, 0n)));
  b.tid = 'a';
  b.call('pte_unmap_unlock', slot, 0n);
  assert.equal(b.s.locks['mm:1.page_table_lock'], undefined);
});

test('2.5 has no truncate_count bump in the unmap primitive', () => {
  const b = new Bench([{ index: 0, mapped: true }], { fs: 'ext3', era: '2.5.70' });
  b.call('invalidate_mmap_range', MAP, 0n, 0n);
  assert.equal(b.s.mappings[1].truncateCount, 0);
});

test('zap_page_range zaps one vma\'s ptes over a user range', () => {
  const b = new Bench([{ index: 0, mapped: true }, { index: 1, mapped: true }]);
  b.call('zap_page_range', VMA, 4096n, 4096n);
  assert.deepEqual([b.page(0).ptes.length, b.page(1).ptes.length], [1, 0]);
});

test('vma lists: mapping_mapped, list_empty / prio_tree_empty, vma_first / vma_next', () => {
  const b = new Bench([{ index: 0 }]);
  assert.equal(b.call('mapping_mapped', MAP), 1n);
  assert.equal(b.call('prio_tree_empty', mkRef('mapping', 1, 'i_mmap')), 0n);
  assert.equal(b.call('list_empty', mkRef('mapping', 1, 'i_mmap_shared')), 1n);
  assert.deepEqual(b.call('vma_first', mkRef('mapping', 1, 'i_mmap')), VMA);
  assert.equal(b.call('vma_next', mkRef('mapping', 1, 'i_mmap'), VMA), 0n);
  const old = new Bench([{ index: 0 }], { fs: 'ext3', era: '2.5.70' });
  assert.equal(old.call('list_empty', mkRef('mapping', 1, 'i_mmap_shared')), 0n);
  assert.ok(MM);
});

test('invalidate_complete_page: succeeds on a clean unmapped page, fails on dirt, buffers, count', () => {
  const b = new Bench([{ index: 0 }, { index: 1, dirty: true, buffers: 'clean' }, { index: 2, buffers: 'pinned' }, { index: 3, extraRefs: 1 }]);
  for (const i of [0, 1, 2, 3]) b.page(i).count++; // the caller's reference
  assert.equal(b.call('invalidate_complete_page', MAP, b.ref(1)), 0n);
  assert.equal(b.call('invalidate_complete_page', MAP, b.ref(2)), 0n);
  assert.equal(b.call('invalidate_complete_page', MAP, b.ref(3)), 0n);
  const p0 = b.ref(0);
  assert.equal(b.call('invalidate_complete_page', MAP, p0), 1n);
  assert.equal(b.s.mappings[1].pages[0], undefined);
});
