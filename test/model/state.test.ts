import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Draft } from '../../server/src/model/draft';
import { StateKeys } from '../../server/src/model/state-key';
import { writtenBetween } from '../../server/src/model/footprint';
import { Interpreter } from '../../server/src/model/interpreter';
import { initialState } from '../../server/src/model/init';
import { scenario } from './helpers';

const interp = new Interpreter(new Map(), { fs: 'ext3' });
const base = () => initialState(scenario([], [{ index: 0, mapped: true, pteDirty: true }, { index: 1, dirty: true }], []), interp);

test('the initial state holds the scenario\'s pages, ptes, buffers and disk', () => {
  const s = base();
  const [p0, p1] = [s.pages[s.mappings[1].pages[0]], s.pages[s.mappings[1].pages[1]]];
  assert.deepEqual([p0.uptodate, p0.ptes, p0.count, p0.buffers], [true, ['1:0'], 2, 'clean']);
  assert.deepEqual(s.mms[1].ptes[0], { page: p0.id, dirty: true });
  assert.deepEqual([p1.dirty, p1.buffers, p1.dirtOrigin], [true, 'dirty', 'init']);
  assert.deepEqual(s.disk, {}, 'the disk is sparse: an index it does not list holds v0');
  assert.ok(p0.data > 0 && p1.data > 0, 'a pte store and a dirty page hold data newer than the disk');
  assert.deepEqual(s.mappings[1].vmas, [1]);
});

test('a draft clones only what it edits; the base state is unchanged', () => {
  const keys = new StateKeys();
  const stateKey = (x: Parameters<StateKeys['key']>[0]) => keys.key(x);
  const s = base();
  const before = stateKey(s);
  const d = new Draft(s);
  d.page(s.mappings[1].pages[0]).uptodate = false;
  assert.equal(new StateKeys().key(s), before, 'the base state keys as before (a fresh table: nothing cached)');
  assert.notEqual(stateKey(d.state), before);
  assert.equal(d.state.pages[s.mappings[1].pages[0]].uptodate, false);
  assert.equal(d.state.pages[s.mappings[1].pages[1]], s.pages[s.mappings[1].pages[1]], 'untouched page shared');
  assert.equal(d.state.mms, s.mms, 'untouched collection shared');
  assert.deepEqual(writtenBetween(s, d.state), [`page:${s.mappings[1].pages[0]}`]);
});

test('state keys are deterministic and ignore step counters', () => {
  const keys = new StateKeys();
  const stateKey = (x: Parameters<StateKeys['key']>[0]) => keys.key(x);
  const a = base();
  const b = base();
  assert.equal(stateKey(a), stateKey(b));
  const d = new Draft(a);
  d.setDisk(0, 7);
  assert.notEqual(stateKey(d.state), stateKey(a));
  const t = { ...b, threads: b.threads.map((x) => ({ ...x, steps: 99 })) };
  assert.equal(stateKey(t), stateKey(b));
});

test('state keys: objects shared or rebuilt key alike; one changed field deep inside changes the key', () => {
  const keys = new StateKeys();
  const a = base();
  const rebuilt = structuredClone(a);
  assert.equal(keys.key(rebuilt), keys.key(a));
  const d = new Draft(a);
  d.mm(1).ptes[0].dirty = false;
  assert.notEqual(keys.key(d.state), keys.key(a));
  const back = new Draft(d.state);
  back.mm(1).ptes[0].dirty = true;
  assert.equal(keys.key(back.state), keys.key(a), 'the same content by another path: the same key');
});

test('page ids: a freed page\'s id is given again, so freeing and re-allocating returns to the same state', () => {
  const keys = new StateKeys();
  const s = base();
  const fresh = (from: typeof s) => {
    const d = new Draft(from);
    const id = d.newId();
    d.addPage({ ...from.pages[1], id, index: -1, mapping: null, ptes: [], count: 1, holders: { t: 1 }, dirty: false, buffers: 'none', data: -1, uptodate: false, pins: 0 });
    return { state: d.state, id, reads: d.reads };
  };
  const a = fresh(s);
  assert.equal(a.id, 3, 'pages 1 and 2 are held: the first id after them');
  assert.ok(a.reads.has('pageref:1') && a.reads.has('pageref:2'), 'the allocation reads whether each page is free (DPOR orders it against frees)');
  const d = new Draft(a.state);
  Object.assign(d.page(a.id), { count: 0, holders: {} });
  const freed = d.state;
  const b = fresh(freed);
  assert.equal(b.id, 3, 'the freed page 3 is reused');
  assert.equal(keys.key(b.state), keys.key(a.state), 'free then allocate again: the same state as after the first allocation');
  const dirty = new Draft(freed);
  dirty.page(a.id).dirty = true;
  assert.equal(fresh(dirty.state).id, 4, 'a dirty page is not free even with no reference (the invariants still judge it)');
});

test('plain state data: bigints, numbers and strings stay apart; undefined properties are left out; nesting and order count', () => {
  const values: unknown[] = [
    1n, 1, '1', null, true, false, undefined, 'N', 'T',
    { ref: 'page', id: '3' }, { id: '3', ref: 'page' }, { ref: 'page', id: 3n },
    { list: [1n, { ref: 'struct', id: 't#1:pvec' }] }, { list: [[1n], { ref: 'struct', id: 't#1:pvec' }] },
    [], {}, [[]], [{}], [1n, 2n], [[1n, 2n]], [[1n], 2n], { a: 1n, b: 2n }, { a: { b: 2n } },
  ];
  const keys = new StateKeys();
  const numbers = values.map((v) => keys.number(v));
  assert.equal(new Set(numbers).size, values.length, 'distinct data, distinct numbers');
  const same: [unknown, unknown][] = [
    [{ ref: 'page', id: '3', field: undefined }, { ref: 'page', id: '3' }],
    [{ list: [1n, { ref: 'struct', id: 't#1:pvec' }] }, structuredClone({ list: [1n, { ref: 'struct', id: 't#1:pvec' }] })],
    [[undefined], [undefined]],
  ];
  assert.deepEqual(same.map(([a, b]) => keys.number(a) === keys.number(b)), same.map(() => true), 'equal data, equal numbers (objects seen for the first time or not)');
  assert.notEqual(keys.number([undefined]), keys.number([]), 'an array keeps its undefined elements');
});
