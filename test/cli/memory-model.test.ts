// `--memory-model` on the command line (DESIGN sections 10 and 13): the JSON names the mode, the
// verdicts follow it, and `kpr run` shows the memory actors' steps. The fixture adds the 2005
// barriers to 2.6.10's unmap_mapping_range (test/fixtures/weak/): they close truncate-vs-fault's
// stray-page race only on weak memory, so under sc the patch changes nothing, and the model says
// on the added barrier that it assumes sequential consistency (an `unmodeled` note, issue 11.7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { runKpr, repoRoot } from './kpr';

const fixture = join('test', 'fixtures', 'weak', 'truncate-count-barriers.patch');
const schema: object = JSON.parse(readFileSync(join(repoRoot, 'server', 'src', 'report', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

interface Report { memoryModel: string; documents: { findings: { rule: string; status: string; tier: string }[] }[] }

for (const [mode, want] of [['sc', ['unmodeled introduced']], ['weak', ['mapped-uptodate fixed', 'stray-page fixed']]] as const) {
  test(`kpr check --memory-model ${mode} --format json: memoryModel ${mode}, model findings ${want.join(', ') || 'none'}`, () => {
    const r = runKpr(['check', '--memory-model', mode, '--format', 'json', fixture]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.memoryModel, mode);
    const model = report.documents[0]!.findings.filter((f) => f.tier === 'model' && f.status !== 'present').map((f) => `${f.rule} ${f.status}`);
    assert.deepEqual(model.sort(), [...want]);
  });
}

test('kpr check without --memory-model reports sc', () => {
  const r = runKpr(['check', '--no-model', '--format', 'json', fixture]);
  assert.equal((JSON.parse(r.stdout) as Report).memoryModel, 'sc');
});

test('kpr run --memory-model weak: the pre side maps a page truncate drops, after the new count reached memory in a step of its own', () => {
  const r = runKpr(['run', 'truncate-vs-fault', '--patch', fixture, '--side', 'pre', '--memory-model', 'weak', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout) as { pre: { violations: { rule: string }[]; steps: { thread: string; effect: string }[] } };
  // The run shows the first rule the witness breaks: the dropped page is still mapped.
  assert.deepEqual(run.pre.violations.map((v) => v.rule), ['mapped-uptodate']);
  assert.ok(run.pre.steps.some((s) => s.thread === 'truncate.mem' && /truncate_count reaches memory/.test(s.effect)));
});

test('kpr check --memory-model with a bad value is a usage error (exit 2)', () => {
  const r = runKpr(['check', '--memory-model', 'tso', fixture]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--memory-model is sc or weak, not tso/);
});
