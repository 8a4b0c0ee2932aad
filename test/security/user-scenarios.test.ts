// A user scenario (.kpr/scenarios/*.json, written by whoever wrote the workspace) is data: it is
// validated against the schema and the era libraries, and anything shaped like code is refused
// with a JSON pointer at the field, never run. Variants of a known-good scenario are written to a
// temporary folder and loaded with loadUserScenarios, exactly as the server and the CLI load them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUserScenarios } from '../../server/src/scenario-folder';
import type { ScenarioProblem } from '../../server/src/scenarios/load';
import { repoRoot } from '../protocol/client';
import { initEngine } from '../support/engine';

type Json = Record<string, unknown>;
const good = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'scenarios', 'good', 'zz-truncate-twice.json'), 'utf8')) as Json;
const threads = good.threads as Json[];

/** A fresh copy of the good scenario with `change` applied and an id of its own. */
function variant(id: string, change: (s: Json) => void): Json {
  const s = structuredClone(good);
  s.id = id;
  change(s);
  return s;
}

const CASES: { name: string; scenario: Json; pointer: string; message: RegExp }[] = [
  {
    name: 'an entry naming a function no library defines',
    scenario: variant('entry-missing', (s) => ((s.threads as Json[])[1]!.entry = 'kpr_no_such_function')),
    pointer: '/threads/1/entry', message: /not a function of the model library/,
  },
  {
    name: 'an entry that is a JavaScript expression',
    scenario: variant('entry-js', (s) => ((s.threads as Json[])[0]!.entry = 'process.exit(1)')),
    pointer: '/threads/0/entry', message: /./,
  },
  {
    name: 'an entry that would not even compile as a regular expression',
    scenario: variant('entry-regex', (s) => ((s.threads as Json[])[0]!.entry = 'lock_page(')),
    pointer: '/threads/0/entry', message: /./,
  },
  {
    name: 'an entry naming a libc function',
    scenario: variant('entry-libc', (s) => ((s.threads as Json[])[2]!.entry = 'system')),
    pointer: '/threads/2/entry', message: /not a function of the model library/,
  },
  {
    name: 'an extra top-level "code" property',
    scenario: variant('extra-code', (s) => (s.code = 'process.exit(1)')),
    pointer: '/code', message: /unknown property 'code'/,
  },
  {
    name: 'an extra property inside a thread',
    scenario: variant('extra-thread', (s) => ((s.threads as Json[])[0]!.setup = "require('child_process').execSync('id')")),
    pointer: '/threads/0/setup', message: /unknown property 'setup'/,
  },
  {
    name: 'an argument given as a string of code',
    scenario: variant('arg-code', (s) => ((s.threads as Json[])[1]!.args = [{ ref: 'inode' }, 'globalThis.process.exit(1)'])),
    pointer: '/threads/1/args/1', message: /must be an integer/,
  },
  {
    name: 'an invariant that is not one of the catalog',
    scenario: variant('invariant-code', (s) => (s.invariants = ['stray-page', '() => true'])),
    pointer: '/invariants/1', message: /must be one of/,
  },
  {
    name: 'a __proto__ key (prototype pollution through JSON)',
    scenario: JSON.parse(JSON.stringify(variant('proto', () => undefined)).replace(/^\{/, '{"__proto__": {"polluted": true},')) as Json,
    pointer: '/__proto__', message: /unknown property '__proto__'/,
  },
];

describe('user scenarios are validated data, never code', () => {
  let dir: string;
  let result: ReturnType<typeof loadUserScenarios>;

  before(async () => {
    // The loader checks entries against the era libraries, which the engine is handed first.
    await initEngine();
    dir = mkdtempSync(join(tmpdir(), 'kpr-security-'));
    writeFileSync(join(dir, '00-good.json'), JSON.stringify(variant('user-good', () => undefined), null, 2));
    CASES.forEach((c, i) => writeFileSync(join(dir, `${String(i + 1).padStart(2, '0')}-${c.scenario.id as string}.json`), JSON.stringify(c.scenario, null, 2)));
    result = loadUserScenarios(dir);
  });

  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('the unmodified scenario loads (so the rejections below are about the changes)', () => {
    assert.deepEqual(result.scenarios.map((s) => s.id), ['user-good']);
    assert.deepEqual(result.problems.filter((p) => p.file.endsWith('00-good.json')), []);
    assert.ok(threads.length >= 3, 'the base scenario has the three threads the cases change');
  });

  for (const [i, c] of CASES.entries()) {
    test(`rejected with a pointer: ${c.name}`, () => {
      const mine = result.problems.filter((p: ScenarioProblem) => p.file.endsWith(`${String(i + 1).padStart(2, '0')}-${c.scenario.id as string}.json`));
      assert.ok(mine.some((p) => p.pointer === c.pointer && c.message.test(p.message)), `expected ${c.pointer} ~ ${String(c.message)}, got ${JSON.stringify(mine)}`);
      assert.ok(!result.scenarios.some((s) => s.id === c.scenario.id), 'a rejected scenario is not loaded');
    });
  }

  test('loading had no side effect: nothing was evaluated, no prototype was polluted', () => {
    assert.equal(({} as Json).polluted, undefined);
    assert.equal(process.exitCode, undefined);
  });
});
