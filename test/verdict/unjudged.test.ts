// Unplaced hunks give no verdict (DESIGN sections 4 and 8): a document in, its whole set of
// model findings and its scenarios out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier, runScenario } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { applicableScenarios } from '../../server/src/scenarios/applicable';
import { verdictSummary } from '../../server/src/verdict/summary';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'corpus', name), 'utf8');

test('a changed function whose hunk cannot be placed: every scenario reaching it is unjudged, named once at its hunk, nothing else is claimed', async () => {
  await initEngine();
  const a = analyze(fixture('invalidate-unplaced-hunk.patch'), 'unplaced.patch');
  assert.deepEqual(a.functions.map((f) => `${f.name} ${f.preOrigin}/${f.postOrigin}`), ['invalidate_inode_pages2 fragment/fragment']);
  const r = runModelTier(a);
  // Every scenario whose threads reach the function on 2.6.10 (the catalog grows with the library).
  const reaching = applicableScenarios(['invalidate_inode_pages2'], '2.6.10').map((s) => s.id);
  assert.ok(reaching.includes('invalidate-vs-fault') && reaching.includes('dio-write-vs-fault'));
  assert.deepEqual(r.findings.map((f) => `${f.rule}:${f.status}:${f.severity}@${f.range.start.line + 1} ${f.function} [${f.scenarios?.join(',')}]`), [
    `unmodeled:unjudged:information@6 invalidate_inode_pages2 [${reaching.join(',')}]`,
  ]);
  assert.match(r.findings[0].message, /reach invalidate_inode_pages2\(\), which the hunks `@@ -127,10 \+127,11 @@`, `@@ -160,6 \+161,7 @@` change, but the hunks could not be placed on the 2\.6\.10 library's body/);
  assert.deepEqual(r.runs.map((x) => `${x.id} ${x.judged} ${x.pre ? 'ran' : '-'}`), reaching.map((id) => `${id} false -`));
  assert.ok(r.runs.every((x) => x.why && /could not be placed/.test(x.why)));
  assert.equal(r.scenarios, 0, 'no search ran');
  assert.equal(r.complete, false, 'not every applicable scenario was judged');
  assert.deepEqual(verdictSummary([...a.findings, ...r.findings]), { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [...reaching].sort() });
});

test('runScenario refuses a scenario left unjudged by an unplaced hunk rather than show the library as the patch', async () => {
  await initEngine();
  const a = analyze(fixture('invalidate-unplaced-hunk.patch'), 'unplaced.patch');
  assert.throws(() => runScenario(a, 'invalidate-vs-fault'), /changes no function the model can run on this scenario's path \(its threads reach invalidate_inode_pages2\(\)/);
});
