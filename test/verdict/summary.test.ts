// The verdict of a document and one finding per rule, status and place: findings in, verdict out;
// and a patch that makes the invalidation spin forever in, its whole set of model findings out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { Finding } from '../../server/src/findings';
import { mergeFindings } from '../../server/src/verdict/merge';
import { verdictSummary } from '../../server/src/verdict/summary';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'corpus', name), 'utf8');
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

// Issue 16: `for (;;) { }` at the top of 2.6.10's invalidate_inode_pages2(). The invalidating
// thread never gets past it, so nothing after it runs: that is introduced, and the breaks of the
// old code are not judged after the patch (not 15 fixes).
test('a patch that makes the invalidation spin forever introduces a thread that never finishes and fixes nothing', async () => {
  await initEngine();
  const a = analyze(fixture('invalidate-never-finishes.patch'), 'spin.patch');
  const r = runModelTier(a);
  const line = (n: number) => a.document.lines[n].trim();
  const got = r.findings.map((x) => `${x.rule}:${x.status}:${x.severity} ${line(x.range.start.line)}`).sort();
  assert.deepEqual([...new Set(got)], [
    'livelock:introduced:error +\tfor (;;) {',
    'unmodeled:unjudged:information +\tfor (;;) {',
  ]);
  const v = verdictSummary(r.findings);
  assert.deepEqual(v.fixes, []);
  assert.deepEqual(v.introduces, ['livelock']);
  assert.deepEqual(v.unjudged, r.runs.map((x) => x.id).sort());
  for (const run of r.runs) {
    assert.equal(run.judged, true);
    assert.equal(run.pre?.stopped, undefined, `${run.id}: the library's own invalidation finishes`);
    assert.ok(run.post?.stopped, `${run.id}: the patched side's search could not finish`);
  }
  const hang = r.findings.find((x) => x.rule === 'livelock')!;
  assert.match(hang.message, /never finishes: it ran \d+ steps in invalidate_inode_pages2\(\) without reaching a scheduling point/);
  assert.ok(hang.trace && hang.trace.length > 0, 'the schedule that reaches the loop is shown');
});
