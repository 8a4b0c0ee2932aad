// The kpr command line as a user sees it: help, exit codes, and the three output formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { runKpr, repoRoot } from './kpr';

const example = join('examples', 'invalidate-recheck.patch');
const schema: object = JSON.parse(readFileSync(join(repoRoot, 'server', 'src', 'report', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

interface Report {
  tool: string;
  version: string;
  documents: { path: string; kind: string; files: { old: string | null; new: string | null; hunks: { line: number }[] }[]; findings: { rule: string; severity: string; status: string }[] }[];
}

function blocking(r: Report): boolean {
  return r.documents.some((d) => d.findings.some((f) => f.severity === 'error' && (f.status === 'introduced' || f.status === 'remaining')));
}

for (const args of [['--help'], ['help'], ['-h']]) {
  test(`kpr ${args.join(' ')} prints usage and exits 0`, () => {
    const r = runKpr(args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /kpr check \[--format text\|json\|sarif\] \[--no-model\] \[--scenarios DIR\] \[--abi lp64\|ilp32\]\s+\[--memory-model sc\|weak\] \[--max-ms MS\] \[--max-kb KB\] \[--max-heap-mb MB\] FILE/);
    assert.match(r.stdout, /kpr scenarios \[FILE\] \[--scenarios DIR\]/);
    assert.match(r.stdout, /kpr run SCENARIO/);
    assert.match(r.stdout, /\.kpr\/scenarios\//);
    assert.match(r.stdout, /kpr lsp --stdio/);
  });
}

test('kpr --version prints the manifest version', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const r = runKpr(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), `kpr ${manifest.version}`);
});

test('check --format json on the example matches the schema, and the exit code follows the findings', () => {
  const r = runKpr(['check', '--format', 'json', example]);
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  assert.equal(report.tool, 'kpr');
  assert.equal(report.documents.length, 1);
  assert.equal(report.documents[0]!.path, example);
  assert.equal(r.code, blocking(report) ? 1 : 0);
  assert.equal(report.documents[0]!.findings.filter((f) => f.rule === 'patch-syntax' && f.severity === 'error').length, 0, 'the example patch is well formed');
});

test('check with several files reports one document per file, in order', () => {
  const other = join('test', 'fixtures', 'protocol', 'two-files.patch');
  const r = runKpr(['check', '--format=json', example, other]);
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(report.documents.map((d) => d.path), [example, other]);
});

test('check on a cut-off hunk exits 1 with a patch-syntax error in every format', () => {
  const bad = join('test', 'fixtures', 'protocol', 'short-hunk.patch');
  const json = runKpr(['check', '--format', 'json', bad]);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as Report;
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  assert.ok(report.documents[0]!.findings.some((f) => f.rule === 'patch-syntax' && f.status === 'introduced'));
  const text = runKpr(['check', bad]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^test\/fixtures\/protocol\/short-hunk\.patch:\d+:\d+: error patch-syntax \[introduced\] /m);
  assert.match(text.stdout, /1 document, 1 file, 2 hunks: \d+ findings? \(\d+ errors?/);
});

test('check --format sarif is a SARIF 2.1.0 log with the rule catalog', () => {
  const bad = join('test', 'fixtures', 'protocol', 'short-hunk.patch');
  const r = runKpr(['check', '--format', 'sarif', bad]);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout) as {
    version: string;
    $schema: string;
    runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; properties: { status: string; tier: string } }[] }[];
  };
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'kpr');
  const syntaxRule = run.tool.driver.rules.find((x) => x.id === 'patch-syntax');
  assert.equal(syntaxRule?.defaultConfiguration.level, 'error');
  assert.equal(syntaxRule?.shortDescription.text, 'The patch is well formed.');
  const result = run.results.find((x) => x.ruleId === 'patch-syntax');
  assert.ok(result, 'a patch-syntax result');
  assert.equal(result.level, 'error');
  assert.equal(result.properties.status, 'introduced');
  assert.equal(result.locations[0]!.physicalLocation.artifactLocation.uri, 'test/fixtures/protocol/short-hunk.patch');
  assert.ok(result.locations[0]!.physicalLocation.region.startLine >= 1);
});

const usageErrors: [string, string[]][] = [
  ['an unknown flag', ['check', '--bogus', example]],
  ['an unknown format', ['check', '--format', 'xml', example]],
  ['no files', ['check']],
  ['an unknown command', ['frobnicate']],
  ['no command', []],
];
for (const [what, args] of usageErrors) {
  test(`usage error for ${what}: usage on stderr, exit 2`, () => {
    const r = runKpr(args);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Usage:/);
  });
}

test('a missing file is reported on stderr with exit 2', () => {
  const r = runKpr(['check', example, 'no/such/file.patch']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /cannot read no\/such\/file\.patch/);
});

test('kpr scenarios lists every contract scenario id', () => {
  const r = runKpr(['scenarios']);
  assert.equal(r.code, 0);
  const ids = r.stdout.split('\n').filter((l) => /^\S/.test(l));
  assert.deepEqual([...ids].sort(), [
    'aio-dio-write', 'dio-write-vs-fault', 'dio-write-vs-mmap-write', 'dio-write-vs-read', 'fault-read-error', 'invalidate-past-4g', 'invalidate-vs-fault',
    'invalidate-vs-invalidate', 'invalidate-vs-writeback', 'invalidate-vs-zap', 'revalidate-vs-mmap-write', 'truncate-vs-fault',
  ]);
});

test('kpr run with an unknown scenario is bad usage (exit 2)', () => {
  const r = runKpr(['run', 'no-such-scenario']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown scenario no-such-scenario/);
});
