// The status bar's words (client/src/status-text.ts) and the lens verdict (server/src/lsp/runs.ts),
// from diagnostics and runs written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusText } from '../../client/src/status-text';
import { summarize, verdictOf } from '../../server/src/lsp/runs';
import type { ScenarioRun } from '../../server/src/verdict/types';
import { repoRoot } from '../protocol/client';

const kpr = (message: string) => ({ source: 'kpr', message });

const cases: [string, { source?: string; message: string }[], string][] = [
  ['nothing found', [], '$(check) kpr: clean'],
  ['only what the patch fixes', [kpr('A mapped page … [fixed, dio-write-vs-fault]')], '$(check) kpr: clean, 1 fixed'],
  ['introduced and remaining', [kpr('x [introduced, s]'), kpr('y [introduced]'), kpr('z [remaining, s]'), kpr('w [fixed, s]')], '$(bug) kpr: 2 introduced, 1 remaining'],
  ['other sources do not count', [{ source: 'gcc', message: 'x [introduced]' }], '$(check) kpr: clean'],
];
for (const [name, diagnostics, text] of cases) {
  test(`status bar: ${name}`, () => assert.equal(statusText(diagnostics, { kind: 'idle' }).text, text));
}

test('status bar: analysing and running win over the counts', () => {
  assert.equal(statusText([kpr('x [introduced]')], { kind: 'analysing' }).text, '$(sync~spin) kpr: analysing…');
  assert.equal(statusText([], { kind: 'running', scenario: 'truncate-vs-fault' }).text, '$(sync~spin) kpr: running truncate-vs-fault…');
});

test('lens verdict: rules broken only after the patch are introduced, only before it fixed', () => {
  const { runs } = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'ux', 'replay.json'), 'utf8')) as { runs: Record<string, ScenarioRun> };
  const run = runs['dio-write-vs-fault']!;
  assert.deepEqual(verdictOf(run), { introduced: 1, fixed: 1, remaining: 0, complete: true });
  const both: ScenarioRun = { ...run, post: { ...run.post!, complete: false, violations: [...run.post!.violations, { rule: 'mapped-uptodate', message: 'm', step: 2 }] } };
  assert.equal(summarize(both), 'dio-write-vs-fault: 1 introduced, 1 remaining (search incomplete)');
  assert.equal(summarize({ ...run, pre: { ...run.pre!, violations: [] }, post: { ...run.post!, violations: [] } }), 'dio-write-vs-fault: clean');
});
