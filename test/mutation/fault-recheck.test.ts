// Mutations of the fault path's truncate_count re-check (patches this project wrote against the
// library's do_no_page, test/fixtures/corpus/fault-*.patch, and the unmutated-removal case
// test/fixtures/verdict/fault-no-recheck.patch): the verdict must follow the code.
// Dropping the re-check or making it without page_table_lock lets truncate run between ->nopage
// and the pte install (stray-page introduced); rewording it without changing its meaning keeps
// truncate-vs-fault clean. Only truncate-vs-fault runs, to keep the test short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { builtinScenario } from '../../server/src/scenarios/catalog';

const dir = join(__dirname, '..', 'fixtures');
const scenario = builtinScenario('truncate-vs-fault')!;

const CASES: { file: string; want: string[] }[] = [
  { file: 'verdict/fault-no-recheck.patch', want: ['mapped-uptodate:introduced', 'stray-page:introduced'] },
  { file: 'corpus/fault-recheck-unlocked.patch', want: ['mapped-uptodate:introduced', 'stray-page:introduced'] },
  { file: 'corpus/fault-recheck-reworded.patch', want: [] },
];

for (const c of CASES) {
  test(`${c.file}: truncate-vs-fault gives ${c.want.join(', ') || 'nothing'}`, async () => {
    await initEngine();
    const a = analyze(readFileSync(join(dir, c.file), 'utf8'), c.file);
    const fn = a.functions.find((f) => f.name === 'do_no_page');
    assert.ok(fn && fn.postOrigin === 'spliced', 'do_no_page spliced into its library body');
    const r = runModelTier(a, { scenarios: [scenario] });
    assert.equal(r.complete, true);
    const got = r.findings.map((f) => `${f.rule}:${f.status}`).sort();
    assert.deepEqual(got, c.want);
    for (const f of r.findings) {
      assert.equal(f.function, 'do_no_page', `${f.rule} points into the patched function`);
      assert.ok(f.range.start.line >= fn.range.start.line && f.range.start.line <= fn.range.end.line);
      assert.ok(f.trace && f.trace.some((s) => s.thread === 'truncate') && f.trace.some((s) => s.thread === 'fault'));
    }
  });
}
