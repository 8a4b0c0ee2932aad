// Verdicts on the real-shaped corpus (test/fixtures/real, README there), earned by running the
// model. A real patch whose hunk cannot be placed claims nothing of the scenarios reaching that
// function: each is unjudged, named once at the hunk (issue 11: no introduced / fixed / narrowed /
// remaining from a side whose changed function on the path was not placed). A real patch that is
// placed gets the verdict of its twin written against the library's text, which is the oracle:
// the same change, placed exactly. (real.test.ts checks the same for every pair without running
// the model: same code, same era.)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, initAnalysis, runModelTier } from '../../server/src/analysis';
import { applicableScenarios } from '../../server/src/scenarios/applicable';
import { verdictSummary } from '../../server/src/verdict/summary';

function run(name: string) {
  const a = analyze(readFileSync(join(__dirname, '..', 'fixtures', 'real', name), 'utf8'), name);
  const r = runModelTier(a);
  return { a, r, verdict: verdictSummary([...a.findings, ...r.findings]) };
}

before(() => initAnalysis());

// Per patch: the unplaced function(s) with the 1-based line of their first unplaced hunk, in the
// order the findings come; the scenarios are whatever the catalog says reaches them on the era.
const UNPLACED: Record<string, { era: string; at: [string, number][] }> = {
  // atomic_t truncate_count: no library era has it.
  '05-truncate-count-int.patch': { era: '2.6.10', at: [['unmap_mapping_range', 14], ['do_no_page', 23]] },
  // Its pre-image is a form of the code older than every library era.
  '10-hg-do-no-page-rmb.patch': { era: '2.6.10', at: [['do_no_page', 16]] },
};

for (const [name, { era, at }] of Object.entries(UNPLACED)) {
  test(`${name}: every scenario reaching an unplaced function is unjudged at its hunk; nothing else is claimed`, () => {
    const { r, verdict } = run(name);
    // A scenario is named at the first unplaced function it reaches.
    const named = new Set<string>();
    const expected = at.map(([fn, line]) => {
      const ids = applicableScenarios([fn], era).map((s) => s.id).filter((id) => !named.has(id));
      ids.forEach((id) => named.add(id));
      return `unmodeled:unjudged@${line} ${fn} [${ids.join(',')}]`;
    });
    assert.deepEqual(r.findings.map((f) => `${f.rule}:${f.status}@${f.range.start.line + 1} ${f.function} [${f.scenarios?.join(',')}]`), expected);
    assert.deepEqual(r.runs.filter((x) => x.judged).map((x) => x.id), [], 'no scenario was judged');
    assert.equal(r.scenarios, 0, 'no search ran');
    assert.equal(r.complete, false);
    assert.deepEqual(verdict, { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [...named].sort() });
  });
}

for (const [pair, why] of [['01-icp-count-check', 'aligned past the BUG_ON the library leaves out'], ['07-fault-lock-page', 'placed since the 2.6.19 layer has NOPAGE_REFAULT']]) {
test(`${pair}: the real patch (${why}) gets its twin's verdict, finding for finding`, () => {
  const real = run(`${pair}.patch`);
  const twin = run(`${pair}.lib.patch`);
  // Per scenario: findings merge by place, and the real patch's lines are not the twin's.
  const shape = (x: ReturnType<typeof run>) => [...new Set(x.r.findings.flatMap((f) => (f.scenarios ?? []).map((id) => `${f.rule}:${f.status} ${f.function} ${id}`)))].sort();
  assert.ok(twin.r.runs.length > 0 && twin.r.runs.every((x) => x.judged), 'the twin is judged on every scenario');
  assert.deepEqual(real.r.runs.map((x) => `${x.id} ${x.judged}`), twin.r.runs.map((x) => `${x.id} ${x.judged}`));
  assert.deepEqual(shape(real), shape(twin));
  assert.deepEqual(real.verdict, twin.verdict);
});
}
