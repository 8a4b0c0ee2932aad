import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { loadUserScenarios } from '../../server/src/scenario-folder';
import { validateScenarioText } from '../../server/src/scenarios/load';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const fixtures = join(__dirname, '..', 'fixtures', 'scenarios');

/** Each bad fixture, and the (pointer, message fragment) pairs its validation must report. */
const expected: Record<string, [string, RegExp][]> = {
  'bad-invariant.json': [['/invariants/1', /must be one of: .*"stray-page"/]],
  'bad-fields.json': [
    ['/id', /pattern/],
    ['/fs', /"ext3", "nfs"/],
    ['/file/pages/0/buffers', /"none", "clean", "dirty", "pinned"/],
    ['/file/pages/0/colour', /unknown property 'colour'/],
    ['/threads/0/args/1', /iocb/],
    ['/bounds/preemptions', />= 0/],
    ['/bounds', /missing required property 'depth'/],
  ],
  'bad-entry.json': [
    ['/threads/0/entry', /'system' is not a function of the model library/],
    ['/eras/1', /unknown era '2.4.0'/],
  ],
  'bad-syntax.json': [['', /invalid JSON at line 4, column 16/]],
};

for (const [file, wants] of Object.entries(expected)) {
  test(`${file} is rejected with pointers at its bad fields`, async () => {
    await initEngine();
    const r = validateScenarioText(readFileSync(join(fixtures, file), 'utf8'), file);
    assert.equal(r.scenario, undefined);
    for (const [pointer, message] of wants) {
      assert.ok(
        r.problems.some((p) => p.pointer === pointer && message.test(p.message)),
        `expected ${pointer} ${message}; got ${JSON.stringify(r.problems)}`,
      );
    }
    assert.equal(r.problems.length, wants.length, JSON.stringify(r.problems));
  });
}

test('the loader reads the .json files of a folder and reports each bad one', () => {
  const r = loadUserScenarios(fixtures);
  assert.deepEqual(r.scenarios, []);
  assert.deepEqual([...new Set(r.problems.map((p) => p.file.split('/').pop()))].sort(), Object.keys(expected).sort());
});

test('a good scenario loads, other files in the folder are ignored', async () => {
  await initEngine();
  const r = loadUserScenarios(join(fixtures, 'good'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.scenarios.map((s) => s.id), ['truncate-vs-truncate']);
  assert.equal(r.scenarios[0].threads.length, 3);
});

test('a missing folder yields nothing and no problem', () => {
  assert.deepEqual(loadUserScenarios(join(fixtures, 'no-such-folder')), { scenarios: [], problems: [] });
});

test('a user scenario may not take a built-in id', async () => {
  await initEngine();
  const dir = mkdtempSync(join(tmpdir(), 'kpr-scenarios-'));
  try {
    const text = readFileSync(join(fixtures, 'good', 'zz-truncate-twice.json'), 'utf8').replace('truncate-vs-truncate', 'truncate-vs-fault');
    writeFileSync(join(dir, 'mine.json'), text);
    const r = loadUserScenarios(dir);
    assert.deepEqual(r.scenarios, []);
    assert.deepEqual(r.problems.map((p) => [p.pointer, p.message]), [['/id', "scenario id 'truncate-vs-fault' is already taken"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The id a bad file declares travels with its problems, so `kpr run ID` can say why ID cannot run. */
const declared: [string, string | undefined][] = [
  ['bad-entry.json', 'unknown-entry'],
  ['bad-invariant.json', JSON.parse(readFileSync(join(fixtures, 'bad-invariant.json'), 'utf8')).id],
  ['bad-syntax.json', undefined],
];
for (const [file, id] of declared) {
  test(`problems of ${file} carry the id it declares (${id ?? 'none'})`, async () => {
    await initEngine();
    const r = validateScenarioText(readFileSync(join(fixtures, file), 'utf8'), file);
    assert.ok(r.problems.length > 0);
    for (const p of r.problems) assert.equal(p.id, id);
  });
}
