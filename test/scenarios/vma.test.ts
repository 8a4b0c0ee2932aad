// Scenarios past 4 GiB: a large file is fine, what the process maps is bounded (every page of the
// vma is walked when ptes are zapped). Each case: a change to a valid base scenario, and the JSON
// pointers of the problems validation must report (the whole set).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { validateScenarioText } from '../../server/src/scenarios/load';

before(() => initEngine());

const HIGH = 1048576;
const base = {
  id: 'user-past-4g', title: 'past 4 GiB', doc: 'A mapped page at index 2^20, invalidated.', fs: 'nfs',
  file: { size: (HIGH + 1) * 4096, pages: [{ index: HIGH, uptodate: true, mapped: true }] },
  vma: { pgoff: HIGH, pages: 1 },
  threads: [{ name: 'inval', entry: 'invalidate_inode_pages2_range', args: [{ ref: 'mapping' }, HIGH, HIGH] }],
  invariants: ['mapped-uptodate', 'livelock'],
  bounds: { preemptions: 1, states: 1000, depth: 400 },
  epilogue: false,
  eras: ['2.6.20'],
};

const CASES: [what: string, change: (s: typeof base) => object, pointers: string[]][] = [
  ['a mapped page at 4 GiB in a one-page vma', (s) => s, []],
  ['no vma over a file of 2^20 + 1 pages', ({ vma: _, ...s }) => s, ['/file/size']],
  ['the mapped page outside the vma', (s) => ({ ...s, vma: { pgoff: 0, pages: 1 } }), ['/file/pages/0/mapped']],
  ['a vma of more than 1024 pages', (s) => ({ ...s, vma: { pgoff: HIGH, pages: 1025 } }), ['/vma/pages']],
  ['a page index past a 32-bit pgoff_t', (s) => ({ ...s, file: { ...s.file, size: 2 ** 44 - 1, pages: [{ index: 2 ** 32, uptodate: true }] } }), ['/file/pages/0/index']],
  ['a file past 2^44 bytes', (s) => ({ ...s, file: { ...s.file, size: 2 ** 44 } }), ['/file/size']],
];

for (const [what, change, pointers] of CASES) {
  test(`${what}: ${pointers.length ? pointers.join(', ') : 'valid'}`, () => {
    const r = validateScenarioText(JSON.stringify(change(structuredClone(base))), 'case.json');
    assert.deepEqual(r.problems.map((p) => p.pointer), pointers, JSON.stringify(r.problems));
  });
}
