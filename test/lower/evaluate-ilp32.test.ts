// C integer arithmetic under `--abi ilp32` (DESIGN section 13): the values gcc -m32 gives on i386,
// as a table beside the same expressions' LP64 values. `long`, `size_t` and `pgoff_t` are 32 bits
// there; `long long` and `loff_t` stay 64.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { lowerExpression } from '../../server/src/lower/fold';

before(() => initEngine());

type Shape = [value: string, bits: number, signed: boolean];
const TABLE: [expr: string, lp64: Shape, ilp32: Shape][] = [
  ['(unsigned long)-1', ['18446744073709551615', 64, false], ['4294967295', 32, false]],
  ['ULONG_MAX', ['18446744073709551615', 64, false], ['4294967295', 32, false]],
  ['LONG_MAX', ['9223372036854775807', 64, true], ['2147483647', 32, true]],
  ['PAGE_MASK', ['18446744073709547520', 64, false], ['4294963200', 32, false]],
  ['1UL << 31', ['2147483648', 64, false], ['2147483648', 32, false]],
  ['1UL << 32', ['4294967296', 64, false], ['1', 32, false]], // the count is masked to 5 bits, as x86 does
  ['sizeof(long) + sizeof(int)', ['12', 64, false], ['8', 32, false]],
  ['sizeof(void *)', ['8', 64, false], ['4', 32, false]],
  ['sizeof(loff_t)', ['8', 64, false], ['8', 32, false]],
  ['-1L < 0u', ['1', 32, true], ['0', 32, true]], // long cannot hold every unsigned int on i386
  ['(long)(3 - 5u)', ['4294967294', 64, true], ['-2', 32, true]],
  ['4294967296', ['4294967296', 64, true], ['4294967296', 64, true]], // long long on i386
  // A page index past 4 GiB, shifted to a byte offset: wraps in 32-bit pgoff_t, not in loff_t.
  ['(pgoff_t)1048576 << PAGE_CACHE_SHIFT', ['4294967296', 64, false], ['0', 32, false]],
  ['(loff_t)(pgoff_t)1048576 << PAGE_CACHE_SHIFT', ['4294967296', 64, true], ['4294967296', 64, true]],
  ['(pgoff_t)1048577 << PAGE_CACHE_SHIFT', ['4294971392', 64, false], ['4096', 32, false]],
];

for (const [expr, lp64, ilp32] of TABLE) {
  for (const [abi, [value, bits, signed]] of [['lp64', lp64], ['ilp32', ilp32]] as const) {
    test(`${abi}: ${expr} = ${value}`, () => {
      const r = lowerExpression(expr, '', abi);
      assert.equal(r.value, BigInt(value));
      assert.deepEqual(r.type && r.type.t === 'int' ? [r.type.bits, r.type.signed] : r.type, [bits, signed]);
    });
  }
}

test('ilp32: a pgoff_t local and page->index are 32-bit, so their shift by PAGE_CACHE_SHIFT is 32-bit', () => {
  for (const [abi, bits] of [['lp64', 64], ['ilp32', 32]] as const) {
    const local = lowerExpression('page_index << PAGE_CACHE_SHIFT', 'pgoff_t page_index;', abi);
    assert.equal(local.type?.t === 'int' && local.type.bits, bits, `${abi} local`);
    const field = lowerExpression('page->index << PAGE_CACHE_SHIFT', 'struct page *page;', abi);
    assert.equal(field.type?.t === 'int' && field.type.bits, bits, `${abi} field`);
    const cast = lowerExpression('(loff_t)page->index << PAGE_CACHE_SHIFT', 'struct page *page;', abi);
    assert.equal(cast.type?.t === 'int' && cast.type.bits, 64, `${abi} cast`);
  }
});
