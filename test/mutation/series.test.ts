// An mbox series (test/fixtures/corpus/fault-recheck-series.mbox, written for the tests): patch 1
// drops do_no_page's truncate_count re-check, patch 2 puts it back. Patch k's post side is patch
// k+1's pre side, so the race patch 1 introduces is the race patch 2 fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { builtinScenario } from '../../server/src/scenarios/catalog';

const file = join(__dirname, '..', 'fixtures', 'corpus', 'fault-recheck-series.mbox');

test('series: patch 1 introduces stray-page, patch 2 (run on patch 1\'s post side) fixes it', async () => {
  await initEngine();
  const a = analyze(readFileSync(file, 'utf8'), 'fault-recheck-series.mbox');
  assert.equal(a.document.messages.length, 2);
  const r = runModelTier(a, { scenarios: [builtinScenario('truncate-vs-fault')!] });
  assert.equal(r.complete, true);
  const stray = r.findings.filter((f) => f.rule === 'stray-page');
  const inMessage = (k: number) => stray.filter((f) => a.document.messages[k].range.start.line <= f.range.start.line && f.range.start.line <= a.document.messages[k].range.end.line).map((f) => f.status);
  assert.deepEqual(inMessage(0), ['introduced']);
  assert.deepEqual(inMessage(1), ['fixed']);
});
