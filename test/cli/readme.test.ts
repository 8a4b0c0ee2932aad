// The README's first command shows what the tool is for: the example it runs gets a model-tier
// race window that the patch opens (introduced) or closes (fixed), in one of the built-in scenarios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runKpr } from './kpr';

test('the README\'s first command: its example patch opens or closes a race window the model tier finds', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const first = /```sh\n([^\n]*)\n```/.exec(readme)?.[1] ?? '';
  const file = /npx kpr check (\S+)$/.exec(first)?.[1];
  assert.ok(file, `the first command is a kpr check of a file: ${first}`);
  assert.match(file, /^examples\//, 'an example of the project\'s own');
  const run = runKpr(['check', '--format', 'json', file]);
  const findings = (JSON.parse(run.stdout) as { documents: { findings: { rule: string; status: string; tier: string; window?: unknown; scenario?: string }[] }[] }).documents[0]!.findings;
  const races = findings.filter((f) => f.tier === 'model' && f.window && (f.status === 'introduced' || f.status === 'fixed'));
  assert.ok(races.length > 0, `a race window the patch opens or closes: ${JSON.stringify(findings.map((f) => [f.rule, f.status, f.scenario]))}`);
  // The README names what it shows: it must be what the engine finds.
  for (const f of races.filter((x) => readme.includes(`\`${x.rule}\` ${x.status}`))) assert.ok(readme.includes(`\`${f.scenario}\``), `the README names ${f.scenario}`);
  assert.ok(races.some((f) => readme.includes(`\`${f.rule}\` ${f.status}`)), 'the README says which rule and status the example gets');
});
