import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter } from '../../server/src/model/interpreter';
import { initialState } from '../../server/src/model/init';
import { runSchedule } from '../../server/src/model/schedule';
import { program, scenario } from './helpers';

test('C arithmetic wraps as gcc does; locals, parameters and returns', async () => {
  const p = await program(undefined,
    'int wrap(int n) { unsigned int x = 0; x = x - n; return x > 5 && (x >> 31) == 1; }',
    'long entry(long a) { long r = wrap(a); return r * 10 + a; }');
  const r = runSchedule(p, scenario([{ name: 't', entry: 'entry', args: [1] }], [], []), []);
  assert.equal(r.state.threads[0].ret, 11n);
  assert.equal(r.state.threads[0].status, 'done');
  assert.ok(r.complete);
});

test('a local struct passed by address: a pagevec filled by pagevec_lookup and read as pvec.pages[i]', async () => {
  const p = await program(undefined, `
unsigned long sum(struct address_space *mapping)
{
	struct pagevec pvec;
	unsigned long total = 0;
	int i;

	pagevec_init(&pvec, 0);
	if (pagevec_lookup(&pvec, mapping, 0, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			total += page->index;
		}
		pagevec_release(&pvec);
	}
	return total;
}`);
  const r = runSchedule(p, scenario([{ name: 't', entry: 'sum', args: [{ ref: 'mapping' }] }], [{ index: 1 }, { index: 2 }, { index: 4 }], []), []);
  assert.equal(r.state.threads[0].ret, 7n);
  assert.deepEqual(Object.values(r.state.pages).map((x) => x.count), [1, 1, 1]);
});

test('local steps merge into the next visible step; each visible step is one trace record', async () => {
  const p = await program(undefined, 'int f(struct address_space *m) { int a = 1; int b = a + 1; return m->nrpages + b; }');
  const r = runSchedule(p, scenario([{ name: 't', entry: 'f', args: [{ ref: 'mapping' }] }], [{ index: 0 }], []), []);
  assert.equal(r.trace.length, 1);
  assert.equal(r.trace[0].code, 'return m->nrpages + b;');
  assert.equal(r.state.threads[0].ret, 3n);
});

test('a thread sleeping on a page lock is not enabled until the holder unlocks', async () => {
  const p = await program(undefined,
    'void hold(struct address_space *m) { struct page *page = find_get_page(m, 0); lock_page(page); cond_resched(); unlock_page(page); page_cache_release(page); }');
  const sc = scenario([{ name: 'a', entry: 'hold', args: [{ ref: 'mapping' }] }, { name: 'b', entry: 'hold', args: [{ ref: 'mapping' }] }], [{ index: 0 }], []);
  const interp = new Interpreter(p, { fs: 'ext3' });
  let s = initialState(sc, interp);
  for (const t of ['a', 'a', 'b', 'b']) s = interp.step(s, t).state;
  assert.equal(s.threads[1].status, 'blocked');
  assert.deepEqual(interp.enabled(s), ['a']);
  s = interp.step(s, 'a').state;
  s = interp.step(s, 'a').state; // unlock_page
  assert.deepEqual(interp.enabled(s).sort(), ['a', 'b']);
  const r = runSchedule(p, sc, ['a', 'a', 'b', 'b', 'b']);
  assert.match(r.problems[0] ?? '', /b cannot run \(blocked on page-lock\)/);
  assert.ok(r.complete);
});

test('an unknown call has two outcomes (0 and -1) and an unmodeled note', async () => {
  const p = await program(undefined, 'int f(void) { int e = frobnicate(3); return e; }');
  const sc = scenario([{ name: 't', entry: 'f', args: [] }], [], []);
  const interp = new Interpreter(p, { fs: 'ext3' });
  const s = initialState(sc, interp);
  assert.equal(interp.choices(s, 't'), 2);
  const one = interp.step(s, 't', 1);
  assert.match(one.notes[0], /unmodeled call frobnicate/);
  const r = runSchedule(p, sc, ['t'], { choices: [1] });
  assert.equal(r.state.threads[0].ret, -1n);
});

test('a loop that never finishes is cut by the step budget and the run is incomplete', async () => {
  const p = await program(undefined, 'void spin(void) { for (;;) cond_resched(); }', 'void local(void) { int i = 0; for (;;) i++; }');
  const a = runSchedule(p, scenario([{ name: 't', entry: 'spin', args: [] }], [], []), [], { maxStepsPerThread: 20 });
  assert.equal(a.complete, false);
  assert.equal(a.state.threads[0].exhausted, true);
  const b = runSchedule(p, scenario([{ name: 't', entry: 'local', args: [] }], [], []), []);
  assert.equal(b.complete, false);
  assert.match(b.notes.join(), /without a scheduling point/);
});

test('a repeating thread restarts its entry and counts progress', async () => {
  const p = await program(undefined, 'void tick(struct address_space *m) { cond_resched(); }');
  const r = runSchedule(p, scenario([{ name: 't', entry: 'tick', args: [{ ref: 'mapping' }], repeat: true }], [], []), ['t', 't', 't', 't'], { finish: false });
  assert.equal(r.state.threads[0].progress, 4);
  assert.notEqual(r.state.threads[0].status, 'done');
});

test('each step reports what it read and wrote', async () => {
  const p = await program(undefined, 'void f(struct address_space *m) { struct page *page = find_get_page(m, 0); SetPageDirty(page); }');
  const sc = scenario([{ name: 't', entry: 'f', args: [{ ref: 'mapping' }] }], [{ index: 0 }], []);
  const interp = new Interpreter(p, { fs: 'ext3' });
  const s0 = initialState(sc, interp);
  const r1 = interp.step(s0, 't');
  assert.ok(r1.reads.includes('mapping:1'));
  // A reference taken is the page's bookkeeping (pageref), which no state invariant reads.
  assert.deepEqual(r1.writes.sort(), ['pageref:1', 'thread:t']);
  assert.deepEqual(r1.effects, ['page 0: count 1→2']);
  const r2 = interp.step(r1.state, 't');
  assert.ok(r2.reads.includes('page:1'));
  assert.deepEqual(r2.writes.sort(), ['page:1', 'pageref:1', 'thread:t'], 'the flag, and where the dirt came from');
});
