// C integer arithmetic against the values gcc gives on x86-64, as a table: expression text,
// declarations of its variables (if any), expected value and signedness/width of the result.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { lowerExpression } from '../../server/src/lower/fold';
import { evalBinary, convert } from '../../server/src/lower/evaluate';
import { T } from '../../server/src/lower/ctypes';
import { kernelConstant } from '../../server/src/lower/kernel-constants';

before(() => initEngine());

const TABLE: [expr: string, value: string, bits: number, signed: boolean][] = [
  ['(unsigned int)-1 >> 1', '2147483647', 32, false],
  ['-1 < 0u', '0', 32, true],
  ['-1 < 0', '1', 32, true],
  ['-1L < 0u', '1', 32, true],
  ['(unsigned long)-1', '18446744073709551615', 64, false],
  ['1 << 31', '-2147483648', 32, true],
  ['1UL << 63', '9223372036854775808', 64, false],
  ['-5 / 2', '-2', 32, true],
  ['-5 % 2', '-1', 32, true],
  ['5 % -3', '2', 32, true],
  ['(char)200', '-56', 8, true],
  ['(unsigned char)-1', '255', 8, false],
  ['0x80000000 > 0', '1', 32, true],
  ['0x80000000', '2147483648', 32, false],
  ['2147483648', '2147483648', 64, true],
  ['-1 >> 1', '-1', 32, true],
  ['~0u', '4294967295', 32, false],
  ['!5', '0', 32, true],
  ['-EIO', '-5', 32, true],
  ['-EIOCBQUEUED', '-529', 32, true],
  ['PAGE_CACHE_SIZE - 1', '4095', 64, false],
  ['PAGE_MASK', '18446744073709547520', 64, false],
  ['PAGE_CACHE_SHIFT + 1', '13', 32, true],
  ['(unsigned short)65536', '0', 16, false],
  ['(int)4294967295UL', '-1', 32, true],
  ['1 ? 2 : 3', '2', 32, true],
  ['0 && 1 / 0', '0', 32, true],
  ['sizeof(long) + sizeof(int)', '12', 64, false],
  ['3 - 5u', '4294967294', 32, false],
  ['(long)(3 - 5u)', '4294967294', 64, true],
  ['0x7fffffff + 1', '-2147483648', 32, true],
  // A cast to a typedef name, which tree-sitter reads as a subtraction or a call (truncate_inode_pages).
  ['(loff_t)-1', '-1', 64, true],
  ['(loff_t)-1 >> PAGE_CACHE_SHIFT', '-1', 64, true],
  ['(pgoff_t)(-1)', '18446744073709551615', 64, false],
  ['(pgoff_t)+1', '1', 64, false],
];

for (const [expr, value, bits, signed] of TABLE) {
  test(`${expr} = ${value}`, () => {
    const r = lowerExpression(expr);
    assert.equal(r.value, BigInt(value));
    assert.deepEqual(r.type && r.type.t === 'int' ? [r.type.bits, r.type.signed] : r.type, [bits, signed]);
  });
}

test('fault codes take the values of the release the code is lowered for', () => {
  const v = (era?: string) => ['VM_FAULT_SIGBUS', 'VM_FAULT_MINOR', 'VM_FAULT_LOCKED'].map((n) => kernelConstant(n, 'lp64', era)?.value);
  assert.deepEqual(v('2.6.10'), [0n, 1n, 0x200n]);
  assert.deepEqual(v('2.6.18'), [1n, 2n, 0x200n]);
  assert.deepEqual(v('2.6.23'), [2n, 0n, 0x200n]);
  assert.deepEqual(v(), v('2.6.10'));
});

test('page_index << 12 + 1 shifts by 13 (+ binds tighter than <<)', () => {
  const r = lowerExpression('page_index << 12 + 1', 'pgoff_t page_index;');
  assert.equal(r.expr?.k, 'binary');
  if (r.expr?.k !== 'binary') return;
  assert.equal(r.expr.op, '<<');
  assert.equal(r.expr.right.k === 'const' ? r.expr.right.value : undefined, 13n);
  assert.equal(r.expr.type.t === 'int' && r.expr.type.bits, 64);
});

test('(offset + write_len - 1) >> 12 with loff_t and size_t operands is unsigned long arithmetic', () => {
  const r = lowerExpression('(offset + write_len - 1) >> 12', 'loff_t offset; size_t write_len;');
  assert.deepEqual(r.type && r.type.t === 'int' ? [r.type.bits, r.type.signed] : r.type, [64, false]);
  // offset = 0, write_len = 0: the subtraction wraps instead of giving -1.
  const sum = evalBinary('+', 0n, 0n, T.ulong, T.llong, T.ulong)!;
  const minus = evalBinary('-', sum, 1n, T.ulong, T.ulong, T.int)!;
  assert.equal(evalBinary('>>', minus, 12n, T.ulong, T.ulong, T.int), 4503599627370495n);
});

test('division by zero and INT_MIN / -1 are traps, not values', () => {
  assert.equal(evalBinary('/', 1n, 0n, T.int, T.int, T.int), undefined);
  assert.equal(evalBinary('/', -2147483648n, -1n, T.int, T.int, T.int), undefined);
  assert.equal(convert(300n, T.int, T.bool), 1n);
});

test('shift counts are masked to the operand width as x86 does', () => {
  assert.equal(evalBinary('<<', 1n, 33n, T.int, T.int, T.int), 2n);
  assert.equal(evalBinary('<<', 1n, 65n, T.long, T.long, T.int), 2n);
});
