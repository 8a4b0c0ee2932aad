// The status bar's words (client/src/status-text.ts) from kpr/verdict notifications, and a run's
// verdict (server/src/lsp/runs.ts), from data written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusText } from '../../client/src/status-text';
import type { VerdictParams } from '../../server/src/protocol';
import { summarize, verdictOf } from '../../server/src/lsp/runs';
import type { ScenarioRun } from '../../server/src/verdict/scenario-run';
import { repoRoot } from '../protocol/client';

const empty: Record<'fixes' | 'introduces' | 'narrows' | 'widens' | 'remains' | 'unjudged', string[]> = { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [] };
const verdict = (model: VerdictParams['model'], ...messages: Partial<typeof empty>[]): VerdictParams => ({
  uri: 'file:///x.patch',
  version: 1,
  model,
  messages: messages.map((v, index) => ({ index, line: 0, counts: '', detail: '', verdict: { ...empty, ...v }, groups: [] })),
});

const cases: [string, VerdictParams | undefined, string][] = [
  ['no verdict yet (just opened)', undefined, '$(sync~spin) kpr: analysing…'],
  ['model tier still running: counts so far, still analysing', verdict('analysing', { remains: ['c-warning'] }), '$(sync~spin) kpr: analysing… still has 1'],
  ['nothing found', verdict('done'), '$(check) kpr: nothing found'],
  ['only what the patch fixes', verdict('done', { fixes: ['mapped-uptodate', 'dirty-uptodate'] }), '$(check) kpr: fixes 2'],
  [
    'introduced first, rules counted once over messages',
    verdict('done', { introduces: ['invalidate-eio'], fixes: ['stray-page'] }, { introduces: ['invalidate-eio', 'livelock'], remains: ['dirty-data-loss'], unjudged: ['x'] }),
    '$(bug) kpr: introduces 2 · still has 1 · fixes 1 · not judged 1',
  ],
  ['model tier off', verdict('off', { remains: ['c-warning'] }), '$(check) kpr: still has 1 (static only)'],
];
for (const [name, v, text] of cases) {
  test(`status bar: ${name}`, () => assert.equal(statusText(v, { kind: 'idle' }).text, text));
}

test('status bar: an edit waiting for its verdict and a run win over the counts', () => {
  assert.equal(statusText(verdict('done', { introduces: ['x'] }), { kind: 'analysing' }).text, '$(sync~spin) kpr: analysing…');
  assert.equal(statusText(verdict('done'), { kind: 'running', scenario: 'truncate-vs-fault' }).text, '$(sync~spin) kpr: running truncate-vs-fault…');
});

test('lens verdict: rules broken only after the patch are introduced, only before it fixed', () => {
  const { runs } = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'ux', 'replay.json'), 'utf8')) as { runs: Record<string, ScenarioRun> };
  const run = runs['dio-write-vs-fault']!;
  assert.deepEqual(verdictOf(run), { introduced: 1, fixed: 1, remaining: 0, complete: true });
  const both: ScenarioRun = { ...run, post: { ...run.post!, complete: false, violations: [...run.post!.violations, { rule: 'mapped-uptodate', message: 'm', step: 2 }] } };
  assert.equal(summarize(both), 'dio-write-vs-fault: 1 introduced, 1 remaining (search incomplete)');
  assert.equal(summarize({ ...run, pre: { ...run.pre!, violations: [] }, post: { ...run.post!, violations: [] } }), 'dio-write-vs-fault: clean');
  // A searched side names every rule it found broken, beyond the one witness its trace shows.
  const searched: ScenarioRun = { ...run, pre: { ...run.pre!, broken: ['mapped-uptodate', 'dio-coherency'] }, post: { ...run.post!, broken: ['dio-coherency', 'invalidate-eio'] } };
  assert.equal(summarize(searched), 'dio-write-vs-fault: 1 introduced, 1 remaining, 1 fixed');
});
