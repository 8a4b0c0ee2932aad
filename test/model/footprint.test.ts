import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Draft } from '../../server/src/model/draft';
import { readList, ReadSet, writtenBetween } from '../../server/src/model/footprint';
import { Interpreter } from '../../server/src/model/interpreter';
import { initialState } from '../../server/src/model/init';
import type { Page, State } from '../../server/src/model/state';
import { scenario } from './helpers';

const interp = new Interpreter(new Map(), { fs: 'ext3' });
// Pages 1 and 2 (indexes 0 and 1), page 1 mapped.
const base = (): State => initialState(scenario([], [{ index: 0, mapped: true }, { index: 1 }], []), interp);

/** Every field of a page, the id a change of it writes, and a changed value. */
const PAGE_FIELDS: [keyof Page, 'page' | 'pageref', (p: Page) => unknown][] = [
  ['id', 'page', (p) => p.id + 10], ['index', 'page', (p) => p.index + 5], ['mapping', 'page', () => null],
  ['locked', 'page', () => 't1'], ['uptodate', 'page', (p) => !p.uptodate], ['dirty', 'page', (p) => !p.dirty],
  ['writeback', 'pageref', (p) => !p.writeback], ['ptes', 'page', (p) => [...p.ptes, '1:9']], ['count', 'pageref', (p) => p.count + 1],
  ['buffers', 'page', (p) => (p.buffers === 'dirty' ? 'clean' : 'dirty')], ['data', 'page', (p) => p.data + 1], ['pins', 'pageref', (p) => p.pins + 1],
  ['dirtOrigin', 'pageref', () => 'user'], ['reading', 'pageref', (p) => !p.reading], ['holders', 'pageref', (p) => ({ ...p.holders, t9: 1 })],
  ['error', 'page', () => true],
];

test('a page field changed writes page:N or pageref:N; a list or record replaced by an equal one writes nothing', () => {
  const s = base();
  assert.deepEqual(PAGE_FIELDS.map(([f]) => f), Object.keys(s.pages[1]), 'the table covers every field of a page, in order');
  for (const [field, id, changed] of PAGE_FIELDS) {
    const d = new Draft(s);
    const p = d.page(1) as unknown as Record<string, unknown>;
    p[field] = changed(s.pages[1]);
    assert.deepEqual(writtenBetween(s, d.state), [`${id}:1`], field);
  }
  const d = new Draft(s);
  const p = d.page(2);
  p.ptes = [...p.ptes];
  p.holders = { ...p.holders };
  assert.deepEqual(writtenBetween(s, d.state), [], 'copies with the same contents');
});

test('writes: objects added and removed, memberships, threads, scalars, in the footprint\'s order', () => {
  const s = base();
  const d = new Draft(s);
  d.page(2).count++;
  d.addPage({ ...s.pages[2], id: 3, index: 2 });
  d.setLock('mm:1.page_table_lock', { holder: 't' });
  d.mm(1).ptes = {};
  d.ghost().failures = [];
  d.newVersion();
  assert.deepEqual(writtenBetween(s, d.state), ['pageref:2', 'page:3', 'pages', 'mm:1', 'lock:mm:1.page_table_lock', 'locks', 'ghost', 'clock']);
  const d2 = new Draft(d.state);
  d2.setLock('mm:1.page_table_lock', undefined);
  assert.deepEqual(writtenBetween(d.state, d2.state), ['lock:mm:1.page_table_lock', 'locks']);
});

test('reads through the view: each id once, in the order first read', () => {
  const s = base();
  const cases: [string, (d: Draft) => void, string[]][] = [
    ['a page\'s own field, then its reference count', (d) => { const p = d.s.pages[1]; void p.dirty; void p.count; void p.locked; }, ['page:1', 'pageref:1']],
    ['a page that is not there', (d) => { void d.s.pages[7]; }, ['page:7']],
    ['a key test', (d) => { void (5 in d.s.mappings); }, ['mapping:5']],
    ['listing the pages, then each', (d) => { for (const p of Object.values(d.s.pages)) void p.index; }, ['pages', 'page:1', 'page:2']],
    ['the draft\'s listing, then each', (d) => { for (const k of d.ids('pages')) void d.s.pages[Number(k)].index; }, ['pages', 'page:1', 'page:2']],
    ['a page\'s keys', (d) => { void Object.keys(d.s.pages[2]); }, ['page:2', 'pageref:2']],
    ['the scalars and the ghost', (d) => { void d.s.clock; void d.s.ghost; void d.s.nextId; void d.s.clock; }, ['clock', 'ghost', 'nextId']],
    ['a lock by name', (d) => { void d.s.locks['mm:1.page_table_lock']; }, ['lock:mm:1.page_table_lock']],
    ['the thread list', (d) => { void d.s.threads.length; }, ['threads']],
    ['a page taken to edit, then read again', (d) => { d.pageIfAny(2)!.dirty = true; void d.s.pages[2].dirty; }, ['page:2', 'pageref:2']],
    ['a pointer to no page', (d) => { assert.equal(d.pageIfAny(9), undefined); }, ['page:9']],
  ];
  for (const [what, code, reads] of cases) {
    const d = new Draft(s);
    code(d);
    assert.deepEqual(readList(d.reads), reads, what);
  }
});

test('the view is the same object for an object read twice, and cannot be written', () => {
  const d = new Draft(base());
  assert.equal(d.s.pages, d.s.pages);
  assert.equal(d.s.pages[1], d.s.pages[1]);
  assert.throws(() => { (d.s as { clock: number }).clock = 3; }, /read view/);
  const before = d.s.pages;
  d.page(1);
  assert.notEqual(d.s.pages, before, 'the draft\'s copy of the collection gets a view of its own');
  assert.equal(d.s.pages[1].dirty, d.state.pages[1].dirty);
});

test('a read set keeps the first-read order past the size it searches in place', () => {
  const r = new ReadSet();
  const ids = Array.from({ length: 50 }, (_, i) => `page:${i}`);
  for (const id of ids) { r.add(id); r.add(`page:${Math.floor(Number(id.slice(5)) / 2)}`); }
  assert.deepEqual(readList(r), ids);
  assert.ok(r.has('page:49') && !r.has('page:50'));
});
