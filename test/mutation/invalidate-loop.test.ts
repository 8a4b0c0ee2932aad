// Mutations of the invalidation's unmap (patches this project wrote against the library's
// invalidate_inode_pages2, test/fixtures/corpus/invalidate-unmap-*.patch): the livelock verdict
// must follow the code. An unbounded `while (page_mapped(page))` unmap loop spins for as long as
// a faulting process re-maps the page (livelock introduced); the same unmap bounded to three tries,
// or done once, always ends. Only invalidate-vs-fault runs, to keep the test short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { builtinScenario } from '../../server/src/scenarios/catalog';

const dir = join(__dirname, '..', 'fixtures', 'corpus');
const scenario = builtinScenario('invalidate-vs-fault')!;

const CASES: { file: string; livelock: boolean }[] = [
  { file: 'invalidate-unmap-loop.patch', livelock: true },
  { file: 'invalidate-unmap-bounded.patch', livelock: false },
  { file: 'invalidate-unmap-once.patch', livelock: false },
];

for (const c of CASES) {
  test(`${c.file}: invalidate-vs-fault ${c.livelock ? 'finds' : 'finds no'} livelock`, async () => {
    await initEngine();
    const a = analyze(readFileSync(join(dir, c.file), 'utf8'), c.file);
    const fn = a.functions.find((f) => f.name === 'invalidate_inode_pages2');
    assert.ok(fn, 'invalidate_inode_pages2 found in the patch');
    const r = runModelTier(a, { scenarios: [scenario] });
    assert.equal(r.complete, true, 'the search ran to the end of its bounds');
    const livelocks = r.findings.filter((f) => f.rule === 'livelock');
    if (!c.livelock) {
      assert.deepEqual(livelocks, []);
      return;
    }
    assert.equal(livelocks.length, 1, r.findings.map((f) => `${f.rule}:${f.status}`).join(', '));
    const [f] = livelocks;
    assert.equal(f.status, 'introduced');
    assert.equal(f.function, 'invalidate_inode_pages2');
    assert.ok(f.range.start.line >= fn.range.start.line && f.range.start.line <= fn.range.end.line, 'on the patched function');
    assert.match(f.message, /revalidate can loop forever without progress/);
    // The cycle: the unmap, then the fault re-maps the page, round and round.
    assert.ok(f.trace?.some((s) => s.thread === 'fault' && s.function === 'do_no_page'), 'the fault re-maps the page inside the trace');
  });
}
