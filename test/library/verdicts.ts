// Runs a fixture of test/fixtures/history through both tiers: the eras its functions chose and
// the model tier's (rule, status) pairs, each once, sorted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';

export function verdicts(name: string): { era: string[]; pairs: string[] } {
  const analysis = analyze(readFileSync(join(__dirname, '..', 'fixtures', 'history', name), 'utf8'), name);
  const model = runModelTier(analysis);
  assert.equal(model.complete, true, 'every search ran to the end of its bounds');
  const era = [...new Set(analysis.functions.map((f) => f.era ?? '?'))];
  const pairs = [...new Set(model.findings.filter((f) => f.tier === 'model').map((f) => `${f.rule}:${f.status}`))].sort();
  return { era, pairs };
}
