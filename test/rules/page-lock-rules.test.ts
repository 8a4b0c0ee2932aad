// Unit tests of flag-without-lock and lock-order on hand-built step programs: IR in, hits out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IRBuilder, n, not, arrow, c, pagePtr, int } from './ir-builder';
import { flagWithoutLock } from '../../server/src/rules/flag-without-lock';
import { lockOrder } from '../../server/src/rules/lock-order';
import type { FunctionIR } from '../../server/src/ir/step-program';

const lines = (ir: FunctionIR, rule = flagWithoutLock, fragment = false) => rule.run({ ir, fragment }).map((h) => h.loc.line);

test('flag-without-lock: ClearPageUptodate after unlock_page is flagged, with the unlock as related', () => {
  const b = new IRBuilder('f').declare('page', pagePtr).call('find_get_page', [], 'page');
  b.call('lock_page', [n('page')]).call('unlock_page', [n('page')]);
  const at = b.line;
  b.call('ClearPageUptodate', [n('page')]).ret();
  const hits = flagWithoutLock.run({ ir: b.build(), fragment: false });
  assert.deepEqual(hits.map((h) => h.loc.line), [at]);
  assert.equal(hits[0]!.related?.[0]?.loc.line, at - 1);
});

test('flag-without-lock: changes under lock_page are not flagged', () => {
  const b = new IRBuilder('f').declare('page', pagePtr).call('find_get_page', [], 'page');
  b.call('lock_page', [n('page')]).call('ClearPageUptodate', [n('page')]);
  b.assign(arrow(n('page', pagePtr), 'mapping'), c(0, 'NULL')).call('unlock_page', [n('page')]).ret();
  assert.deepEqual(lines(b.build()), []);
});

test('flag-without-lock: locked on one path only → flagged at the merge', () => {
  const b = new IRBuilder('f').declare('page', pagePtr).declare('x').call('find_get_page', [], 'page');
  b.branch(n('x'), 'skip').call('lock_page', [n('page')]).label('skip');
  const at = b.line;
  b.call('remove_from_page_cache', [n('page')]).ret();
  assert.deepEqual(lines(b.build()), [at]);
});

test('flag-without-lock: a store to page->mapping without the lock is flagged', () => {
  const b = new IRBuilder('f').declare('page', pagePtr).call('find_get_page', [], 'page');
  const at = b.line;
  b.assign(arrow(n('page', pagePtr), 'mapping'), c(0, 'NULL')).ret();
  assert.deepEqual(lines(b.build()), [at]);
});

test('flag-without-lock: TestSetPageLocked success edge holds the lock, failure edge does not', () => {
  const ok = new IRBuilder('f').declare('page', pagePtr).call('find_get_page', [], 'page');
  ok.call('TestSetPageLocked', [n('page')], '$t1').branch(n('$t1'), 'busy');
  ok.call('ClearPageUptodate', [n('page')]).call('unlock_page', [n('page')]).label('busy').ret();
  assert.deepEqual(lines(ok.build()), []);

  const bad = new IRBuilder('f').declare('page', pagePtr).call('find_get_page', [], 'page');
  bad.call('TestSetPageLocked', [n('page')], '$t1').branch(not(n('$t1')), 'got');
  const at = bad.line;
  bad.call('ClearPageUptodate', [n('page')]).label('got').ret();
  assert.deepEqual(lines(bad.build()), [at]);
});

test('flag-without-lock: a function that takes a page and never locks is assumed called with it locked', () => {
  const b = new IRBuilder('helper').param('page', pagePtr).call('ClearPageUptodate', [n('page', pagePtr)]).ret();
  assert.deepEqual(lines(b.build()), []);
});

test('flag-without-lock: a fragment with unknown entry state is not flagged until it unlocks', () => {
  const b = new IRBuilder('frag').call('ClearPageUptodate', [n('page')]).call('unlock_page', [n('page')]);
  const at = b.line;
  b.call('SetPageUptodate', [n('page')]).ret();
  assert.deepEqual(lines(b.build(), flagWithoutLock, true), [at]);
});

test('flag-without-lock: find_lock_page returns a locked page', () => {
  const b = new IRBuilder('f').declare('page', pagePtr).call('find_lock_page', [], '$t1').assign(n('page'), n('$t1'));
  b.call('SetPageUptodate', [n('page')]).call('unlock_page', [n('page')]).ret();
  assert.deepEqual(lines(b.build()), []);
});

test('lock-order: a page lock taken in a loop while the previous iteration may still hold its lock', () => {
  const b = new IRBuilder('f').declare('i', int).assign(n('i'), c(0)).label('loop');
  b.declare('page', pagePtr).call('pick', [n('i')], 'page');
  const at = b.line;
  b.call('lock_page', [n('page')]).declare('x').branch(n('x'), 'keep').call('unlock_page', [n('page')]).label('keep');
  b.assign(n('i'), n('i')).goto('loop');
  const hits = lockOrder.run({ ir: b.build(), fragment: false });
  assert.deepEqual(hits.map((h) => h.loc.line), [at]);
  assert.match(hits[0]!.message, /previous iteration/);
});

test('lock-order: loops that unlock on every path, and trylocks, are not flagged', () => {
  const b = new IRBuilder('f').label('loop').declare('page', pagePtr).call('pick', [], 'page');
  b.call('lock_page', [n('page')]).declare('x').branch(n('x'), 'out').call('unlock_page', [n('page')]).goto('loop');
  b.label('out').call('unlock_page', [n('page')]).call('TestSetPageLocked', [n('other')], '$t9').ret();
  assert.deepEqual(lines(b.build(), lockOrder), []);
});

test('lock-order: two different pages locked at once', () => {
  const b = new IRBuilder('f').declare('a', pagePtr).declare('b', pagePtr).call('lock_page', [n('a')]);
  const at = b.line;
  b.call('lock_page', [n('b')]).call('unlock_page', [n('b')]).call('unlock_page', [n('a')]).ret();
  assert.deepEqual(lines(b.build(), lockOrder), [at]);
});
