import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSchedule, xorshift } from '../../server/src/model/schedule';
import { ScenarioSystem } from '../../server/src/verdict/scenario-system';
import { randomRuns } from '../../server/src/verdict/side-search';
import { program, scenario } from './helpers';
import { libraryFile } from '../../server/src/model/library/index';

test('xorshift is deterministic for a seed and stays in [0, 1)', () => {
  const a = xorshift(42);
  const b = xorshift(42);
  const xs = Array.from({ length: 50 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 50 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, xorshift(43)));
});

test('a trace names the thread, the function, its library file and line, the code and the effect', async () => {
  const p = await program('2.6.10');
  const sc = scenario([{ name: 'fault', entry: 'user_fault', args: [{ ref: 'vma' }, 0] }], [{ index: 0 }], ['mapped-uptodate']);
  const r = runSchedule(p, sc, []);
  assert.ok(r.complete);
  const install = r.trace.find((t) => t.effect.includes('pte 0: maps page 0'));
  assert.ok(install, 'the fault installs a pte');
  assert.equal(install.thread, 'fault');
  assert.equal(install.function, 'do_no_page');
  assert.equal(install.source, 'model');
  // 2.6.10 changed do_no_page by a diff; the pte install is a line 2.5.70 wrote, and the trace says so.
  assert.equal(install.file, '2.5.70/memory.c');
  assert.match(install.code, /set_pte/);
  assert.ok(typeof install.modelLine === 'number');
  assert.match(libraryFile(install.file)!.text.split('\n')[install.modelLine]!, /set_pte\(page_table, entry\)/);
  assert.equal(r.state.threads[0].ret, 2n, 'VM_FAULT_MAJOR');
});

test('random schedules (the one runner, verdict/side-search.ts): the same seed gives the same runs; every run of a correct pair of threads is clean', async () => {
  const p = await program('2.6.10');
  const sc = scenario([{ name: 'fault', entry: 'user_fault', args: [{ ref: 'vma' }, 0] }, { name: 'truncate', entry: 'sys_truncate', args: [{ ref: 'inode' }, 0] }],
    [{ index: 0 }], ['stray-page', 'mapped-uptodate', 'deadlock'], { file: { size: 4096, pages: [{ index: 0 }] } });
  const a = randomRuns(new ScenarioSystem(p, sc, '2.6.10'), 4, 7);
  const b = randomRuns(new ScenarioSystem(p, sc, '2.6.10'), 4, 7);
  assert.deepEqual(a.map((r) => r.steps.map((t) => t.thread).join()), b.map((r) => r.steps.map((t) => t.thread).join()));
  assert.deepEqual(a.flatMap((r) => r.violations), []);
  assert.ok(a.every((r) => r.finished && r.problems.length === 0));
});
