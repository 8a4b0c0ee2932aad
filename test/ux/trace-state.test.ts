// The trace view's restore path (client/src/trace/state.ts): what the panel serializer accepts
// from the page's saved state after a window reload. Plain node: the check needs no VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { restoredShown, TRACE_VIEW_TYPE } from '../../client/src/trace/state';
import type { ScenarioRun } from '../../server/src/verdict/scenario-run';
import { repoRoot } from '../protocol/client';

const { runs } = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'ux', 'replay.json'), 'utf8')) as { runs: Record<string, ScenarioRun> };
const run = runs['dio-write-vs-fault']!;
const uri = 'file:///work/dio-fault.patch';

test('a saved page state gives back the run, its document and the step the user was on', () => {
  const shown = restoredShown({ run, uri, cursor: { pre: 1, post: 4 }, active: 'post' });
  assert.ok(shown);
  assert.equal(shown.run.scenario, 'dio-write-vs-fault');
  assert.equal(shown.uri, uri);
  assert.deepEqual([shown.side, shown.step], ['post', 4]);
  assert.deepEqual([restoredShown({ run, uri, cursor: { pre: 1, post: 4 }, active: 'pre' })!.side, restoredShown({ run, uri, cursor: { pre: 1 }, active: 'pre' })!.step], ['pre', 1]);
});

test('cursor values out of range are clamped; a missing side falls back to the other one', () => {
  assert.equal(restoredShown({ run, uri, cursor: { post: 10_000 }, active: 'post' })!.step, run.post!.steps.length - 1);
  assert.equal(restoredShown({ run, uri, cursor: { post: -3 }, active: 'post' })!.step, 0);
  assert.equal(restoredShown({ run, uri, cursor: { post: 1.5 }, active: 'post' })!.step, 0);
  const preOnly = { ...run, post: undefined };
  assert.equal(restoredShown({ run: preOnly, uri, cursor: {}, active: 'post' })!.side, 'pre');
  assert.equal(restoredShown({ run, uri })!.side, 'post', 'no active side: the post side');
});

test('state that cannot be shown is refused: nothing, no uri (an older page), or no run', () => {
  for (const bad of [undefined, null, 42, 'x', [], {}, { run }, { uri }, { run: {}, uri }, { run: { scenario: 's', threads: [] }, uri },
    { run: { scenario: 's', threads: [], post: { steps: 'no' , violations: [] } }, uri }, { run, uri: '' }]) {
    assert.equal(restoredShown(bad), undefined, JSON.stringify(bad));
  }
});

test('a trace view left open activates the extension after a reload: package.json has onWebviewPanel for its type', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { activationEvents: string[] };
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${TRACE_VIEW_TYPE}`), JSON.stringify(manifest.activationEvents));
});
