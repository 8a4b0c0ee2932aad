/**
 * The weak-memory mode against the Linux-kernel memory model's own litmus tests (DESIGN section
 * 13). Each row is a test of tools/memory-model/litmus-tests/ in the kernel tree (read from the
 * torvalds/linux mirror; the expected result is the test's own "Result:" comment, or where a
 * test has none, the statement cited beside it), rewritten as model C: registers are handed to
 * the harness through parameters named after them. A row expects the `exists` clause to be
 * satisfiable (allowed, LKMM "Sometimes") or not (forbidden, "Never") under `weak`; under `sc`
 * every one of these outcomes is forbidden, since each is a non-sequentially-consistent one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomes, satisfies, type Litmus } from './harness';

type Row = Litmus & { weak: 'allowed' | 'forbidden'; source: string };

const MP_READER = `void P1(int *x, int *y, int *r0, int *r1) { int a = READ_ONCE(*y); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }`;
const MP_EXISTS = '1:r0=1 /\\ 1:r1=0';

const TABLE: Row[] = [
  {
    name: 'MP+poonceonces', weak: 'allowed', source: 'MP+poonceonces.litmus, "Result: Sometimes"',
    threads: ['void P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }', MP_READER], exists: MP_EXISTS,
  },
  {
    name: 'MP+fencewmbonceonce+poonceonces', weak: 'allowed',
    source: 'memory-barriers.txt "SMP BARRIER PAIRING": a write barrier must be paired with a read barrier; without it the reader may see the flag and old data',
    threads: ['void P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }', MP_READER], exists: MP_EXISTS,
  },
  {
    name: 'MP+fencewmbonceonce+fencermbonceonce', weak: 'forbidden', source: 'MP+fencewmbonceonce+fencermbonceonce.litmus, "Result: Never"',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }',
      'void P1(int *x, int *y, int *r0, int *r1) { int a = READ_ONCE(*y); smp_rmb(); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: MP_EXISTS,
  },
  {
    name: 'MP+pooncerelease+poacquireonce', weak: 'forbidden', source: 'MP+pooncerelease+poacquireonce.litmus (README: a release-acquire chain orders MP)',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }',
      'void P1(int *x, int *y, int *r0, int *r1) { int a = smp_load_acquire(y); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: MP_EXISTS,
  },
  {
    name: 'MP+polocks', weak: 'forbidden', source: 'MP+polocks.litmus, "Result: Never" (explanation.txt, LOCKING: lock-release then lock-acquire orders)',
    threads: [
      'void P0(int *x, int *y, spinlock_t *lock) { WRITE_ONCE(*x, 1); spin_lock(lock); WRITE_ONCE(*y, 1); spin_unlock(lock); }',
      'void P1(int *x, int *y, spinlock_t *lock, int *r0, int *r1) { int a; int b; spin_lock(lock); a = READ_ONCE(*y); spin_unlock(lock); b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: MP_EXISTS,
  },
  {
    name: 'SB+poonceonces', weak: 'allowed', source: 'SB+poonceonces.litmus, "Result: Sometimes"',
    threads: [
      'void P0(int *x, int *y, int *r0) { WRITE_ONCE(*x, 1); int a = READ_ONCE(*y); *r0 = a; }',
      'void P1(int *x, int *y, int *r0) { WRITE_ONCE(*y, 1); int a = READ_ONCE(*x); *r0 = a; }',
    ], exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'SB+fencembonceonces', weak: 'forbidden', source: 'SB+fencembonceonces.litmus, "Result: Never"',
    threads: [
      'void P0(int *x, int *y, int *r0) { WRITE_ONCE(*x, 1); smp_mb(); int a = READ_ONCE(*y); *r0 = a; }',
      'void P1(int *x, int *y, int *r0) { WRITE_ONCE(*y, 1); smp_mb(); int a = READ_ONCE(*x); *r0 = a; }',
    ], exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'LB+poonceonces', weak: 'allowed', source: 'LB+poonceonces.litmus, "Result: Sometimes"',
    threads: [
      'void P0(int *x, int *y, int *r0) { int a = READ_ONCE(*x); WRITE_ONCE(*y, 1); *r0 = a; }',
      'void P1(int *x, int *y, int *r0) { int a = READ_ONCE(*y); WRITE_ONCE(*x, 1); *r0 = a; }',
    ], exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'LB+fencembonceonce+ctrlonceonce', weak: 'forbidden', source: 'LB+fencembonceonce+ctrlonceonce.litmus, "Result: Never"',
    threads: [
      'void P0(int *x, int *y, int *r0) { int a = READ_ONCE(*x); if (a) WRITE_ONCE(*y, 1); *r0 = a; }',
      'void P1(int *x, int *y, int *r0) { int a = READ_ONCE(*y); smp_mb(); WRITE_ONCE(*x, 1); *r0 = a; }',
    ], exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'LB+poacquireonce+pooncerelease', weak: 'forbidden', source: 'LB+poacquireonce+pooncerelease.litmus (README: a release-acquire pair suffices for LB)',
    threads: [
      'void P0(int *x, int *y, int *r0) { int a = smp_load_acquire(x); WRITE_ONCE(*y, 1); *r0 = a; }',
      'void P1(int *x, int *y, int *r0) { int a = READ_ONCE(*y); smp_store_release(x, 1); *r0 = a; }',
    ], exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'WRC+poonceonces+Once', weak: 'allowed', source: 'WRC+poonceonces+Once.litmus (README: the MP class with the first write moved to another process; nothing orders it)',
    threads: [
      'void P0(int *x) { WRITE_ONCE(*x, 1); }',
      'void P1(int *x, int *y, int *r0) { int a = READ_ONCE(*x); WRITE_ONCE(*y, 1); *r0 = a; }',
      'void P2(int *x, int *y, int *r0, int *r1) { int a = READ_ONCE(*y); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'WRC+pooncerelease+fencermbonceonce+Once', weak: 'forbidden', source: 'WRC+pooncerelease+fencermbonceonce+Once.litmus, "Result: Never"',
    threads: [
      'void P0(int *x) { WRITE_ONCE(*x, 1); }',
      'void P1(int *x, int *y, int *r0) { int a = READ_ONCE(*x); smp_store_release(y, 1); *r0 = a; }',
      'void P2(int *x, int *y, int *r0, int *r1) { int a = READ_ONCE(*y); smp_rmb(); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'ISA2+poonceonces', weak: 'allowed', source: 'ISA2+poonceonces.litmus (README: ISA2 with release and acquire replaced by plain marked accesses)',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }',
      'void P1(int *y, int *z, int *r0) { int a = READ_ONCE(*y); WRITE_ONCE(*z, 1); *r0 = a; }',
      'void P2(int *x, int *z, int *r0, int *r1) { int a = READ_ONCE(*z); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'ISA2+pooncerelease+poacquirerelease+poacquireonce', weak: 'forbidden', source: 'ISA2+pooncerelease+poacquirerelease+poacquireonce.litmus, "Result: Never"',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }',
      'void P1(int *y, int *z, int *r0) { int a = smp_load_acquire(y); smp_store_release(z, 1); *r0 = a; }',
      'void P2(int *x, int *z, int *r0, int *r1) { int a = smp_load_acquire(z); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }',
    ], exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'S+poonceonces', weak: 'allowed', source: 'S+poonceonces.litmus, "Result: Sometimes"',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 2); WRITE_ONCE(*y, 1); }',
      'void P1(int *x, int *y, int *r0) { int a = READ_ONCE(*y); WRITE_ONCE(*x, 1); *r0 = a; }',
    ], exists: 'x=2 /\\ 1:r0=1',
  },
  {
    name: 'S+fencewmbonceonce+poacquireonce', weak: 'forbidden', source: 'S+fencewmbonceonce+poacquireonce.litmus, "Result: Never"',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 2); smp_wmb(); WRITE_ONCE(*y, 1); }',
      'void P1(int *x, int *y, int *r0) { int a = smp_load_acquire(y); WRITE_ONCE(*x, 1); *r0 = a; }',
    ], exists: 'x=2 /\\ 1:r0=1',
  },
  {
    name: 'R+poonceonces', weak: 'allowed', source: 'R+poonceonces.litmus (R+fencembonceonces.litmus: "weakening either of the barriers would cause the resulting test to be allowed")',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }',
      'void P1(int *x, int *y, int *r0) { WRITE_ONCE(*y, 2); int a = READ_ONCE(*x); *r0 = a; }',
    ], exists: 'y=2 /\\ 1:r0=0',
  },
  {
    name: 'R+fencembonceonces', weak: 'forbidden', source: 'R+fencembonceonces.litmus, "Result: Never"',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_mb(); WRITE_ONCE(*y, 1); }',
      'void P1(int *x, int *y, int *r0) { WRITE_ONCE(*y, 2); smp_mb(); int a = READ_ONCE(*x); *r0 = a; }',
    ], exists: 'y=2 /\\ 1:r0=0',
  },
  {
    name: '2+2W+poonceonces', weak: 'allowed', source: 'explanation.txt: stores to different locations with nothing between them may propagate in either order',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 2); }',
      'void P1(int *x, int *y) { WRITE_ONCE(*y, 1); WRITE_ONCE(*x, 2); }',
    ], exists: 'x=1 /\\ y=1',
  },
  {
    name: '2+2W+fencewmbonceonces', weak: 'forbidden', source: 'explanation.txt, PROPAGATION: smp_wmb() is a cumul-fence, and the propagation axiom forbids a cycle of coe and cumul-fence links',
    threads: [
      'void P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 2); }',
      'void P1(int *x, int *y) { WRITE_ONCE(*y, 1); smp_wmb(); WRITE_ONCE(*x, 2); }',
    ], exists: 'x=1 /\\ y=1',
  },
  // Coherence: one location's accesses stay in program order (the CoXX tests, all "Never").
  {
    name: 'CoRR+poonceonce+Once', weak: 'forbidden', source: 'CoRR+poonceonce+Once.litmus, "Result: Never"',
    threads: ['void P0(int *x) { WRITE_ONCE(*x, 1); }', 'void P1(int *x, int *r0, int *r1) { int a = READ_ONCE(*x); int b = READ_ONCE(*x); *r0 = a; *r1 = b; }'],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'CoRW+poonceonce+Once', weak: 'forbidden', source: 'CoRW+poonceonce+Once.litmus (README: a read and a later write of one variable are ordered)',
    threads: ['void P0(int *x, int *r0) { int a = READ_ONCE(*x); WRITE_ONCE(*x, 1); *r0 = a; }', 'void P1(int *x) { WRITE_ONCE(*x, 2); }'],
    exists: 'x=2 /\\ 0:r0=2',
  },
  {
    name: 'CoWR+poonceonce+Once', weak: 'forbidden', source: 'CoWR+poonceonce+Once.litmus, "Result: Never"',
    threads: ['void P0(int *x, int *r0) { WRITE_ONCE(*x, 1); int a = READ_ONCE(*x); *r0 = a; }', 'void P1(int *x) { WRITE_ONCE(*x, 2); }'],
    exists: 'x=1 /\\ 0:r0=2',
  },
  {
    name: 'CoWW+poonceonce', weak: 'forbidden', source: 'CoWW+poonceonce.litmus (README: two writes to one variable are ordered)',
    threads: ['void P0(int *x) { WRITE_ONCE(*x, 1); WRITE_ONCE(*x, 2); }'],
    exists: 'x=1',
  },
];

for (const row of TABLE) {
  test(`${row.name}: ${row.weak} under weak (${row.source}), forbidden under sc`, async () => {
    const weak = await outcomes(row, 'weak');
    const sc = await outcomes(row, 'sc');
    const seen = (o: Set<string>) => [...o].some((x) => satisfies(x, row.exists)) ? 'allowed' : 'forbidden';
    assert.equal(seen(weak.outcomes), row.weak, `weak outcomes: ${[...weak.outcomes].join(' | ')}`);
    assert.equal(seen(sc.outcomes), 'forbidden', `sc outcomes: ${[...sc.outcomes].join(' | ')}`);
    // Every sequentially consistent outcome stays possible under weak (weak only adds behaviours).
    for (const o of sc.outcomes) assert.ok(weak.outcomes.has(o), `sc outcome ${o} missing under weak`);
  });
}
