// A scenarios folder is written by whoever wrote the workspace: every file in it is hostile input.
// Each case below is one file of one folder; the loader must name it with its reason, leave it
// out, and still load the good scenario beside it, without hanging (a FIFO), without reading
// without end (/dev/zero) and without allocating from an absurd size. The expected problems are
// the whole set: one (file, pointer, reason) per bad file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { loadUserScenarios, MAX_SCENARIO_FILE_BYTES, MAX_SCENARIO_FILES } from '../../server/src/scenario-folder';
import { repoRoot } from '../protocol/client';

type Json = Record<string, unknown>;
const good = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'scenarios', 'good', 'zz-truncate-twice.json'), 'utf8')) as Json;

function variant(id: string, change: (s: Json) => void): string {
  const s = structuredClone(good);
  s.id = id;
  change(s);
  return JSON.stringify(s, null, 2);
}

/** File name → [pointer, reason] that the loader must report for it. */
const EXPECTED: Record<string, [string, RegExp]> = {
  // A large file is allowed (a page past 4 GiB is a scenario of its own); what the process maps is bounded.
  '01-huge-size.json': ['/file/size', /a file of 100000000 pages needs a "vma" that maps at most 1024 of them/],
  '02-size-1e300.json': ['/file/size', /must be <= 17592186044415/],
  '03-fifo.json': ['', /not a regular file \(a FIFO\)/],
  '04-dev-zero.json': ['', /symbolic link out of the scenarios folder/],
  '05-outside.json': ['', /symbolic link out of the scenarios folder/],
  '06-big-on-disk.json': ['', new RegExp(`more than the ${MAX_SCENARIO_FILE_BYTES} a scenario file may have`)],
  '07-directory.json': ['', /not a regular file \(a directory\)/],
  '08-escape-in-name.json': ['/threads/0/name', /must match pattern/],
  '09-dangling.json': ['', /symbolic link that leads nowhere/],
  '10-huge-arg.json': ['/threads/1/args/1', /must be an integer/],
  '11-huge-states.json': ['/bounds/states', /must be <= 1000000/],
};

describe('hostile files in a scenarios folder', () => {
  let dir: string;
  let outside: string;
  let result: ReturnType<typeof loadUserScenarios>;

  before(async () => {
    await initEngine();
    dir = mkdtempSync(join(tmpdir(), 'kpr-hostile-'));
    outside = mkdtempSync(join(tmpdir(), 'kpr-outside-'));
    writeFileSync(join(dir, '00-good.json'), variant('user-good', () => undefined));
    writeFileSync(join(dir, '01-huge-size.json'), variant('huge-size', (s) => ((s.file as Json).size = 409600000000)));
    writeFileSync(join(dir, '02-size-1e300.json'), variant('size-1e300', () => undefined).replace('"size": 8192', '"size": 1e300'));
    execFileSync('mkfifo', [join(dir, '03-fifo.json')]);
    symlinkSync('/dev/zero', join(dir, '04-dev-zero.json'));
    writeFileSync(join(outside, 'secret.json'), variant('outside', () => undefined));
    symlinkSync(join(outside, 'secret.json'), join(dir, '05-outside.json'));
    // Sparse: 100 MB on paper, nothing on disk; refused from its size before any byte is read.
    writeFileSync(join(dir, '06-big-on-disk.json'), '');
    truncateSync(join(dir, '06-big-on-disk.json'), 100 * 1024 * 1024);
    mkdirSync(join(dir, '07-directory.json'));
    writeFileSync(join(dir, '08-escape-in-name.json'), variant('escape-name', (s) => ((s.threads as Json[])[0]!.name = 'a\u001b]0;owned\u0007')));
    symlinkSync(join(dir, 'no-such-target'), join(dir, '09-dangling.json'));
    writeFileSync(join(dir, '10-huge-arg.json'), variant('huge-arg', (s) => (((s.threads as Json[])[1]!.args as unknown[])[1] = 123456789)).replace('123456789', '1e300'));
    writeFileSync(join(dir, '11-huge-states.json'), variant('huge-states', (s) => ((s.bounds as Json).states = 1e9)));
    // A link to a file of the same folder is followed; so is the title's escape sequence, escaped.
    writeFileSync(join(dir, 'real.txt'), variant('linked-in', (s) => (s.title = 'Red \u001b[31mtitle\u001b[0m\u202e')));
    symlinkSync(join(dir, 'real.txt'), join(dir, '12-linked-in.json'));
    result = loadUserScenarios(dir);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  test('the good scenario and the in-folder link load; the title is escaped', () => {
    assert.deepEqual(result.scenarios.map((s) => s.id), ['user-good', 'linked-in']);
    assert.equal(result.scenarios[1]!.title, 'Red \\x1b[31mtitle\\x1b[0m\\u{202e}');
  });

  test('every hostile file is named once with its reason, and nothing else is reported', () => {
    const byFile = new Map<string, { pointer: string; message: string }[]>();
    for (const p of result.problems) {
      const name = p.file.split('/').pop()!;
      byFile.set(name, [...(byFile.get(name) ?? []), p]);
    }
    assert.deepEqual([...byFile.keys()].sort(), Object.keys(EXPECTED).sort());
    for (const [name, [pointer, reason]] of Object.entries(EXPECTED)) {
      const got = byFile.get(name)!;
      assert.equal(got.length, 1, `${name}: ${JSON.stringify(got)}`);
      assert.equal(got[0]!.pointer, pointer, name);
      assert.match(got[0]!.message, reason, name);
    }
  });

  test('no message carries a raw control character', () => {
    for (const p of result.problems) assert.doesNotMatch(`${p.file} ${p.message}`, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

test(`a folder of more than ${MAX_SCENARIO_FILES} files: the rest are named and left out`, async () => {
  await initEngine();
  const dir = mkdtempSync(join(tmpdir(), 'kpr-many-'));
  try {
    for (let i = 0; i < MAX_SCENARIO_FILES + 2; i++) writeFileSync(join(dir, `s${String(i).padStart(3, '0')}.json`), variant(`many-${i}`, () => undefined));
    const r = loadUserScenarios(dir);
    assert.equal(r.scenarios.length, MAX_SCENARIO_FILES);
    assert.deepEqual(r.problems.map((p) => [p.file.split('/').pop(), p.message]), [
      [`s${String(MAX_SCENARIO_FILES).padStart(3, '0')}.json`, `not read: a scenarios folder may hold at most ${MAX_SCENARIO_FILES} scenario files`],
      [`s${String(MAX_SCENARIO_FILES + 1).padStart(3, '0')}.json`, `not read: a scenarios folder may hold at most ${MAX_SCENARIO_FILES} scenario files`],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file name with an escape sequence is reported escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpr-name-'));
  try {
    writeFileSync(join(dir, 'x\u001b[2J.json'), '{');
    const r = loadUserScenarios(dir);
    assert.deepEqual(r.problems.map((p) => p.file.split('/').pop()), ['x\\x1b[2J.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
