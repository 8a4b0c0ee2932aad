// Every seed document goes through `kpr check --format json` and yields the files and hunks it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { runKpr, repoRoot } from './kpr';
import { seedNames, seedsDir, seedsSkip } from '../support/seeds';

const schema: object = JSON.parse(readFileSync(join(repoRoot, 'server', 'src', 'report', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** Files and hunks per seed, by the seed's number (counted by reading the seeds). */
const expected: Record<string, { files: number; hunks: number }> = {
  '000': { files: 3, hunks: 5 },
  '002': { files: 1, hunks: 2 },
  '003': { files: 5, hunks: 8 },
};

const seeds = seedNames();

test('the seed folder holds the five seeds', { skip: seedsSkip() }, () => {
  assert.equal(seeds.length, 5, `seeds in ${seedsDir}`);
});

for (const name of seeds) {
  const number = name.slice(0, 3);
  const want = expected[number];
  test(`seed ${number} parses through kpr check --format json`, () => {
    const r = runKpr(['check', '--format', 'json', join(seedsDir, name)]);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { documents: { files: { hunks: unknown[] }[]; findings: { rule: string; severity: string }[] }[] };
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    const doc = report.documents[0]!;
    if (want) {
      assert.equal(doc.files.length, want.files, 'files');
      assert.equal(doc.files.reduce((n, f) => n + f.hunks.length, 0), want.hunks, 'hunks');
      assert.deepEqual(doc.findings.filter((f) => f.rule === 'patch-syntax' && f.severity === 'error'), [], 'a real patch is well formed');
    } else {
      assert.equal(doc.files.length, 0, 'a seed with no diff has no files');
    }
  });
}
