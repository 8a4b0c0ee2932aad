// Sequence counters (model/sequence.ts): which programs may have their truncate_count shifted in
// the explorer's keys, and what the shift does. Data in: small C functions; out: plan or none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sequencePlan, normaliseSequences } from '../../server/src/model/sequence';
import { makeProgram } from '../../server/src/model/program';
import type { State } from '../../server/src/model/state';
import { cLayer, libraryLayer } from './helpers';

const SAMPLE_AND_RECHECK = `
int f(struct address_space *mapping)
{
	int sequence = 0;
	sequence = mapping->truncate_count;
	if (mapping && sequence != mapping->truncate_count)
		return 1;
	mapping->truncate_count++;
	return 0;
}`;

const ATOMIC_FORM = `
int g(struct address_space *mapping)
{
	int sequence;
	sequence = atomic_read(&mapping->truncate_count);
	atomic_inc(&mapping->truncate_count);
	if (unlikely(sequence != atomic_read(&mapping->truncate_count)))
		return 1;
	return 0;
}`;

const BROKEN: Record<string, string> = {
  'a reset of the counter': `void h(struct address_space *mapping) { atomic_set(&mapping->truncate_count, 0); }`,
  'a comparison with a constant': `int h(struct address_space *mapping) { return mapping->truncate_count == 3; }`,
  'arithmetic on a sample': `int h(struct address_space *mapping) { int s = mapping->truncate_count; return s * 2; }`,
  'a sample passed to a call': `void h(struct address_space *mapping) { int s = mapping->truncate_count; printk("%d", s); }`,
  'a sample assigned a non-zero constant': `int h(struct address_space *mapping) { int s = mapping->truncate_count; s = 5; return s != mapping->truncate_count; }`,
  'the counter stored in a struct': `void h(struct address_space *mapping, struct page *page) { page->index = mapping->truncate_count; }`,
};

test('sequence plan: the era libraries and the kernel\'s sample-and-recheck forms keep a plan', async () => {
  for (const era of ['2.5.70', '2.6.10', '2.6.20']) {
    assert.ok(sequencePlan(makeProgram(await libraryLayer(era))), `${era} library`);
  }
  const plan = sequencePlan(makeProgram(await cLayer(SAMPLE_AND_RECHECK, ATOMIC_FORM)));
  assert.ok(plan);
  assert.deepEqual([...plan.samples.get('f')!], ['sequence']);
  assert.ok(plan.samples.get('g')!.has('sequence'));
});

for (const [what, code] of Object.entries(BROKEN)) {
  test(`sequence plan: ${what} needs exact keys`, async () => {
    assert.equal(sequencePlan(makeProgram(await cLayer(SAMPLE_AND_RECHECK, code))), undefined);
  });
}

function state(truncateCount: number, sample?: bigint): State {
  const locals = sample === undefined ? {} : { sequence: sample };
  return {
    pages: {}, mappings: { 1: { id: 1, host: 1, pages: {}, truncateCount, vmas: [] } }, inodes: {}, files: {}, vmas: {}, mms: {}, iocbs: {}, disk: {}, locks: {},
    threads: [{ name: 't', frames: [{ fn: 'f', pc: 3, locals }], status: 'runnable', spins: [], structs: {}, entry: 'f', args: [], repeat: false, steps: 0, progress: 0 }],
  } as unknown as State;
}

test('sequence keys: states that differ by a shift of the counter and its samples look alike; a 0 never moves', async () => {
  const plan = sequencePlan(makeProgram(await cLayer(SAMPLE_AND_RECHECK)))!;
  const norm = (s: State) => { const n = normaliseSequences(s, plan); return [n.mappings[1].truncateCount, n.threads[0].frames[0].locals.sequence]; };
  assert.deepEqual(norm(state(5)), [1, undefined]);
  assert.deepEqual(norm(state(9)), [1, undefined]);
  assert.deepEqual(norm(state(7, 5n)), [3, 1n]);
  assert.deepEqual(norm(state(8, 6n)), [3, 1n]);
  assert.deepEqual(norm(state(8, 8n)), [1, 1n]);
  // A 0 (no bump yet, or a sample still at its initialiser) keeps the exact values.
  assert.deepEqual(norm(state(0)), [0, undefined]);
  assert.deepEqual(norm(state(4, 0n)), [4, 0n]);
  const s = state(1);
  assert.equal(normaliseSequences(s, plan), s, 'nothing to shift: the same state');
});
