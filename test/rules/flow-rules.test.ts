// Unit tests of sleep-in-atomic, unchecked-return, error-clobber and the flow half of c-warning
// on hand-built step programs: IR in, hits out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IRBuilder, n, not, addr, arrow, bin, c, neg, int, uint, ulong, long } from './ir-builder';
import { sleepInAtomic } from '../../server/src/rules/sleep-in-atomic';
import { uncheckedReturn } from '../../server/src/rules/unchecked-return';
import { errorClobber } from '../../server/src/rules/error-clobber';
import { cWarning } from '../../server/src/rules/c-warning';
import type { StaticRule } from '../../server/src/rules/rule';
import { exprText } from '../../server/src/rules/ir-util';
import type { FunctionIR } from '../../server/src/ir/step-program';

const lines = (rule: StaticRule, ir: FunctionIR) => rule.run({ ir, fragment: false }).map((h) => h.loc.line);
const ptl = addr(arrow(n('mm'), 'page_table_lock'));

test('sleep-in-atomic: a retry loop that unlocks before sleeping again is clean; without the unlock it is flagged', () => {
  const good = new IRBuilder('f').label('retry').call('nopage', [], '$t1', n('vma'));
  good.call('spin_lock', [ptl]).declare('x').branch(n('x'), 'ok').call('spin_unlock', [ptl]).goto('retry');
  good.label('ok').call('spin_unlock', [ptl]).ret();
  assert.deepEqual(lines(sleepInAtomic, good.build()), []);

  const bad = new IRBuilder('f').label('retry');
  const at = bad.line;
  bad.call('nopage', [], '$t1', n('vma')).call('spin_lock', [ptl]).declare('x').branch(n('x'), 'ok').goto('retry');
  bad.label('ok').call('spin_unlock', [ptl]).ret();
  const hits = sleepInAtomic.run({ ir: bad.build(), fragment: false });
  assert.deepEqual(hits.map((h) => h.loc.line), [at]);
  assert.equal(hits[0]!.related?.[0]?.loc.line, at + 1);
});

test('sleep-in-atomic: kmalloc sleeps with GFP_KERNEL, not with GFP_ATOMIC; spin_trylock success holds the lock', () => {
  const b = new IRBuilder('f').call('spin_lock_irq', [addr(n('lk'))]).call('kmalloc', [c(8), c(0x20, 'GFP_ATOMIC')]);
  const at = b.line;
  b.call('kmalloc', [c(8), c(0xd0, 'GFP_KERNEL')]).call('spin_unlock_irq', [addr(n('lk'))]);
  b.call('spin_trylock', [addr(n('lk'))], '$t1').branch(not(n('$t1')), 'out');
  const at2 = b.line;
  b.call('cond_resched').call('spin_unlock', [addr(n('lk'))]).label('out').call('schedule').ret();
  assert.deepEqual(lines(sleepInAtomic, b.build()), [at, at2]);
});

test('unchecked-return: discarded, stored-and-ignored, and used results', () => {
  const b = new IRBuilder('f').declare('ret', int);
  const discarded = b.line;
  b.call('invalidate_complete_page', [n('mapping'), n('page')]);
  const ignored = b.line;
  b.call('filemap_fdatawrite', [n('mapping')], '$t1').assign(n('ret'), n('$t1')).assign(n('ret'), c(0));
  b.call('filemap_fdatawait', [n('mapping')], '$t2').branch(n('$t2'), 'out');
  b.call('test_clear_page_dirty', [n('page')]).label('out').ret(n('ret'));
  assert.deepEqual(lines(uncheckedReturn, b.build()), [discarded, ignored]);
});

test('error-clobber: an invalidation error overwrites a possibly queued ->direct_IO result', () => {
  const b = new IRBuilder('f').declare('retval', long).declare('err', int);
  const origin = b.line;
  b.call('direct_IO', [], '$t1', n('a_ops')).assign(n('retval'), n('$t1'));
  b.call('invalidate_inode_pages2_range', [n('mapping')], '$t2').assign(n('err'), n('$t2'));
  b.branch(not(n('err')), 'out');
  const at = b.line;
  b.assign(n('retval'), n('err')).label('out').ret(n('retval'));
  const hits = errorClobber.run({ ir: b.build(), fragment: false });
  assert.deepEqual(hits.map((h) => h.loc.line), [at]);
  assert.equal(hits[0]!.related?.[0]?.loc.line, origin);
});

test('error-clobber: guards that rule -EIOCBQUEUED out are respected', () => {
  for (const guard of [bin('&&', n('err'), bin('>=', n('retval'), c(0))), bin('==', n('retval'), c(0)), not(n('retval'))]) {
    const b = new IRBuilder('f').declare('retval', long).declare('err', int);
    b.call('blockdev_direct_IO', [], 'retval').call('invalidate_inode_pages2', [], 'err');
    b.branch(not(guard), 'out').assign(n('retval'), n('err')).label('out').ret(n('retval'));
    assert.deepEqual(lines(errorClobber, b.build()), [], exprText(guard));
  }
  const early = new IRBuilder('f').declare('retval', long).call('generic_file_direct_IO', [], 'retval');
  early.branch(n('retval'), 'out').assign(n('retval'), neg(c(5, 'EIO'))).label('out').ret(n('retval'));
  assert.deepEqual(lines(errorClobber, early.build()), []);
});

test('error-clobber: a negative constant after the queued value is flagged', () => {
  const b = new IRBuilder('f').declare('ret', long).call('direct_IO', [], 'ret', n('ops'));
  b.branch(bin('<', n('ret'), c(0)), 'out');
  b.assign(n('ret'), c(-5, '-EIO')).label('out').ret(n('ret'));
  assert.deepEqual(lines(errorClobber, b.build()), []);
  const bad = new IRBuilder('f').declare('ret', long).call('direct_IO', [], 'ret', n('ops'));
  const at = bad.line;
  bad.assign(n('ret'), c(-5, '-EIO')).ret(n('ret'));
  assert.deepEqual(lines(errorClobber, bad.build()), [at]);
});

test('c-warning (flow): sign-compare, unused, set-but-unused and maybe-uninitialized', () => {
  const b = new IRBuilder('f');
  const unused = b.line;
  b.declare('unused_one', int);
  const setOnly = b.line;
  b.declare('set_only', int).assign(n('set_only'), c(1));
  b.declare('i', int).declare('cnt', uint).declare('wide', long).declare('maybe', int);
  b.assign(n('i'), c(0)).call('count', [], 'cnt').assign(n('wide'), c(0));
  b.branch(n('i'), 'skip').assign(n('maybe'), c(3)).label('skip');
  const cmp = b.line;
  b.branch(bin('<', n('i', int), n('cnt', uint)), 'x');
  b.branch(bin('<', n('wide', long), n('cnt', uint)), 'x');
  b.branch(bin('<', n('cnt', uint), c(0, undefined, int)), 'x');
  const use = b.line;
  b.label('x').ret(n('maybe'));
  const got = cWarning.run({ ir: b.build(), fragment: false }).map((h) => [h.loc.line, h.key]).sort((x, y) => Number(x[0]) - Number(y[0]));
  assert.deepEqual(got, [
    [unused, 'unused:unused_one'],
    [setOnly, 'unused-set:set_only'],
    [cmp, 'sign-compare:i < cnt'],
    [use, 'uninit:maybe'],
  ]);
  void ulong;
});
