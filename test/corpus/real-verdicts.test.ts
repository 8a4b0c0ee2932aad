// Verdicts on the real-shaped corpus (test/fixtures/real, README there), earned by running the
// model. A real patch whose hunk cannot be placed claims nothing of the scenarios reaching that
// function: each is unjudged, named once at the hunk (issue 11: no introduced / fixed / narrowed /
// remaining from a side whose changed function on the path was not placed). That a real patch
// that is placed gets the verdict of its twin, scenario by scenario, is real-pairs.test.ts's
// (running the model), and real.test.ts's (same code, same era, without running it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { applicableScenarios } from '../../server/src/scenarios/applicable';
import { verdictSummary } from '../../server/src/verdict/summary';

function run(name: string) {
  const a = analyze(readFileSync(join(__dirname, '..', 'fixtures', 'real', name), 'utf8'), name);
  const r = runModelTier(a);
  return { a, r, verdict: verdictSummary([...a.findings, ...r.findings]) };
}

before(() => initEngine());

// Per patch: the unplaced function(s) with the 1-based line of their first unplaced hunk, in the
// order the findings come; the scenarios are whatever the catalog says reaches them on the era.
const UNPLACED: Record<string, { era: string; at: [string, number][] }> = {
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

test('11-series-mismatch: 2/2 is not placed onto 1/2\'s result, so it claims nothing: its scenarios are unjudged at its hunk, and every verdict stands on 1/2', () => {
  const { a, r } = run('11-series-mismatch.mbox');
  const second = a.document.messages[1]!.range;
  const inSecond = (line: number) => line >= second.start.line && line <= second.end.line;
  const unjudged = r.findings.filter((f) => f.status === 'unjudged');
  assert.ok(unjudged.length > 0 && unjudged.every((f) => inSecond(f.range.start.line)), 'the unjudged note sits on 2/2');
  assert.deepEqual(r.findings.filter((f) => inSecond(f.range.start.line) && f.status !== 'unjudged').map((f) => `${f.rule}:${f.status}`), []);
  // 1/2 was judged: its verdicts are on its own lines.
  assert.ok(r.findings.some((f) => f.status !== 'unjudged' && !inSecond(f.range.start.line)));
  assert.ok(r.runs.some((x) => x.message === 1 && !x.judged) && r.runs.some((x) => x.message === 0 && x.judged));
});
