// The verdict of a document and one finding per rule, status and place: hand-made findings in,
// the verdict and the merged findings out. (Documents in, their findings and verdict out, are the
// cases of test/fixtures/verdict: a patch that makes the invalidation spin forever is
// invalidate-never-finishes.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/findings';
import { mergeFindings } from '../../server/src/verdict/merge';
import { verdictSummary } from '../../server/src/verdict/summary';

const at = (line: number, from = 1, to = 9) => ({ start: { line, character: from }, end: { line, character: to } });
const f = (rule: Finding['rule'], status: Finding['status'], line: number, scenario?: string, extra: Partial<Finding> = {}): Finding => ({
  rule, status, severity: 'error', tier: scenario ? 'model' : 'static', message: `${rule} ${scenario ?? ''}.`, range: at(line), ...(scenario ? { scenario } : {}), ...extra,
});

test('verdict: rules once per bucket, present counts as still has, unjudged lists scenarios, notes and patch-syntax carry none', () => {
  const v = verdictSummary([
    f('mapped-uptodate', 'narrowed', 10, 'a'), f('mapped-uptodate', 'narrowed', 12, 'b'), f('mapped-uptodate', 'fixed', 20, 'c'),
    f('livelock', 'introduced', 11, 'a'), f('error-clobber', 'introduced', 30), f('dio-coherency', 'widened', 5, 'a'),
    f('stray-page', 'remaining', 6, 'a'), f('unchecked-return', 'present', 7),
    f('unmodeled', 'unjudged', 3, 'x', { scenarios: ['x', 'y'], severity: 'information' }), f('unmodeled', 'introduced', 3, undefined, { severity: 'information' }),
    f('patch-syntax', 'introduced', 1),
  ]);
  assert.deepEqual(v, {
    fixes: ['mapped-uptodate'], introduces: ['error-clobber', 'livelock'], narrows: ['mapped-uptodate'], widens: ['dio-coherency'],
    remains: ['stray-page', 'unchecked-return'], unjudged: ['x', 'y'],
  });
  assert.deepEqual(verdictSummary([]), { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [] });
});

test('merge: one finding per rule, status and lines; the first scenario is primary, all are listed; complete only if all were', () => {
  const merged = mergeFindings([
    f('mapped-uptodate', 'fixed', 10, 'a', { complete: true }),
    f('mapped-uptodate', 'fixed', 10, 'b', { complete: false, range: at(10, 3, 5) }),
    f('mapped-uptodate', 'narrowed', 10, 'c'),
    f('mapped-uptodate', 'fixed', 11, 'd'),
    f('invalidate-eio', 'introduced', 10, 'a', { reason: 'dirty' }),
    f('invalidate-eio', 'introduced', 10, 'b', { reason: 'buffers' }),
    f('c-warning', 'introduced', 10),
  ]);
  assert.deepEqual(merged.map((x) => `${x.rule}/${x.reason ?? ''}:${x.status}@${x.range.start.line} ${x.scenario ?? '-'} [${(x.scenarios ?? []).join(',')}] ${x.complete ?? ''}`), [
    'mapped-uptodate/:fixed@10 a [a,b] false',
    'mapped-uptodate/:narrowed@10 c [c] ',
    'mapped-uptodate/:fixed@11 d [d] ',
    'invalidate-eio/dirty:introduced@10 a [a] ',
    'invalidate-eio/buffers:introduced@10 b [b] ',
    'c-warning/:introduced@10 - [] ',
  ]);
  assert.equal(merged[0].message, 'mapped-uptodate a (also in b).');
});
