// Users' scenarios on the command line: a workspace's .kpr/scenarios/ (or --scenarios DIR) in,
// what `kpr scenarios`, `kpr run` and `kpr check` make of each file out: listed and run when
// valid; named on stderr with the bad field when not, failing only a run of that very scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { runKpr, repoRoot } from './kpr';
import { seedPath, seedsSkip } from '../support/seeds';
import { BUILTIN_IDS } from '../../server/src/scenarios/catalog';

/** A fault sleeping on page 1 while truncate drops it, on the 2.5.70 library (no truncate_count yet). */
const oldTruncate = {
  id: 'old-truncate',
  title: 'Truncate vs fault on the 2.5.70 library',
  doc: 'The process faults on page 1 and sleeps reading it while truncate shrinks the file to one page.',
  fs: 'ext3',
  file: { size: 8192, pages: [{ index: 0, uptodate: true }, { index: 1, cached: false }] },
  threads: [
    { name: 'fault', entry: 'user_fault', args: [{ ref: 'vma' }, 1] },
    { name: 'truncate', entry: 'sys_truncate', args: [{ ref: 'inode' }, 4096] },
  ],
  invariants: ['stray-page'],
  bounds: { preemptions: 1, states: 100000, depth: 400 },
  epilogue: false,
  eras: ['2.5.70'],
};

/** The workspace's scenario files, by name: valid ones and one of each kind of mistake. */
const files: Record<string, string> = {
  'old-truncate.json': JSON.stringify(oldTruncate, null, 2),
  'bad-entry.json': JSON.stringify({ ...oldTruncate, id: 'bad-entry', threads: [{ name: 'evil', entry: 'system', args: [0] }] }, null, 2),
  'bad-bounds.json': JSON.stringify({ ...oldTruncate, id: 'bad-bounds', bounds: { preemptions: -1, states: 10, depth: 10 } }, null, 2),
  // Not JSON, so no id to go by: `kpr run missing-comma` finds it by its file name.
  'missing-comma.json': '{\n  "id": "missing-comma"\n  "title": "A comma short"\n}\n',
  'notes.txt': 'not a scenario: only .json files are read',
};

/** What each bad file is reported with: its name, the field (JSON pointer) and the reason. */
const problems: [string, string, RegExp][] = [
  ['bad-entry.json', '/threads/0/entry', /'system' is not a function of the model library/],
  ['bad-bounds.json', '/bounds/preemptions', />= 0/],
  ['missing-comma.json', '(whole file)', /invalid JSON at line 3, column 3: Expected ',' or '}'/],
];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpr-user-scenarios-'));
  mkdirSync(join(dir, '.kpr', 'scenarios'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '.kpr', 'scenarios', name), text);
  return dir;
}

function assertWarned(stderr: string, folder: string): void {
  for (const [file, pointer, why] of problems) {
    const line = stderr.split('\n').find((l) => l.startsWith(`kpr: warning: ${join(folder, file)}: ${pointer}: `));
    assert.ok(line, `a warning for ${file} at ${pointer} in:\n${stderr}`);
    assert.match(line, why);
  }
}

test('kpr scenarios lists the built-in scenarios, then the valid user ones; bad files are warnings', () => {
  const ws = workspace();
  try {
    const r = runKpr(['scenarios'], ws);
    assert.equal(r.code, 0, r.stderr);
    const ids = r.stdout.split('\n').filter((l) => /^\S/.test(l));
    assert.deepEqual(ids, [...BUILTIN_IDS, 'old-truncate (user)']);
    assertWarned(r.stderr, join('.kpr', 'scenarios'));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('kpr run ID runs a user scenario from .kpr/scenarios, and from --scenarios DIR anywhere', () => {
  const ws = workspace();
  try {
    for (const [args, cwd] of [[['run', 'old-truncate'], ws], [['run', 'old-truncate', '--scenarios', join(ws, '.kpr', 'scenarios')], repoRoot]] as const) {
      const r = runKpr([...args, '--format', 'json'], cwd);
      assert.equal(r.code, 0, r.stderr);
      const run = JSON.parse(r.stdout) as { scenario: string; threads: string[]; post: { era: string; violations: { rule: string }[] } };
      assert.equal(run.scenario, 'old-truncate');
      assert.deepEqual(run.threads, ['fault', 'truncate']);
      assert.equal(run.post.era, '2.5.70');
      assert.deepEqual(run.post.violations.map((v) => v.rule), ['stray-page'], 'the 2.5.70 fault maps a truncated page');
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

/** `kpr run` of a scenario whose file is bad: exit 2, each problem of that file as an error. */
for (const [file, pointer, why] of problems) {
  const id = file.replace(/\.json$/, '');
  test(`kpr run ${id} fails with exit 2 naming ${file} and ${pointer}`, () => {
    const ws = workspace();
    try {
      const r = runKpr(['run', id], ws);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      const file2 = join('.kpr', 'scenarios', file);
      const line = r.stderr.split('\n').find((l) => l.startsWith(`kpr: error: ${file2}: ${pointer}: `));
      assert.ok(line, r.stderr);
      assert.match(line, why);
      assert.match(r.stderr, new RegExp(`scenario ${id} cannot run: \\S*${file} is not a valid scenario`));
      assert.doesNotMatch(r.stderr, /internal error|unknown scenario/);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
}

test('kpr run of a built-in scenario still runs beside bad user files (they are warnings)', () => {
  const ws = workspace();
  try {
    const r = runKpr(['run', 'truncate-vs-fault', '--schedule', 'fault'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^truncate-vs-fault: /);
    assertWarned(r.stderr, join('.kpr', 'scenarios'));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('an unknown id names the user scenarios among the known ones', () => {
  const ws = workspace();
  try {
    const r = runKpr(['run', 'no-such-scenario'], ws);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown scenario no-such-scenario; known: .*truncate-vs-fault.*, old-truncate\n/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('a --scenarios folder that does not exist is unreadable input (exit 2) on every command', () => {
  for (const args of [['scenarios'], ['run', 'old-truncate'], ['check', join('examples', 'invalidate-recheck.patch')]]) {
    const r = runKpr([...args, '--scenarios', 'no/such/folder']);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /cannot read the scenarios folder no\/such\/folder: no such directory/);
  }
});

const schema: object = JSON.parse(readFileSync(join(repoRoot, 'server', 'src', 'report', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

interface Report { documents: { findings: { rule: string; status: string; scenario?: string; scenarios?: string[]; tier: string }[] }[] }

test('kpr check runs the user scenarios that apply; bad files are warnings, never a failure of the report', { skip: seedsSkip() }, () => {
  const ws = workspace();
  const seed = seedPath('003');
  try {
    const r = runKpr(['check', '--format', 'json', seed], ws);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    // One finding per rule, status and place: the user's scenario may share it with built-in ones.
    const mine = report.documents[0]!.findings.filter((f) => f.scenarios?.includes('old-truncate'));
    // Seed 003 adds truncate_count to 2.5.70: the user's scenario breaks before it, not after.
    assert.deepEqual(mine.map((f) => [f.rule, f.status]), [['stray-page', 'fixed']]);
    assertWarned(r.stderr, join('.kpr', 'scenarios'));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
