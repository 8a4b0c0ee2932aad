// Runs a fixture of test/fixtures/history through both tiers: the eras its functions chose, the
// model tier's (rule, status) pairs, each once, sorted, and the same per scenario.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';

export function verdicts(name: string): { era: string[]; pairs: string[]; inScenario: (id: string) => string[] } {
  const analysis = analyze(readFileSync(join(__dirname, '..', 'fixtures', 'history', name), 'utf8'), name);
  const model = runModelTier(analysis);
  assert.equal(model.complete, true, 'every search ran to the end of its bounds');
  const era = [...new Set(analysis.functions.map((f) => f.era ?? '?'))];
  const found = model.findings.filter((f) => f.tier === 'model');
  const pairsOf = (fs: typeof found) => [...new Set(fs.map((f) => `${f.rule}:${f.status}`))].sort();
  return { era, pairs: pairsOf(found), inScenario: (id) => pairsOf(found.filter((f) => f.scenarios?.includes(id))) };
}
