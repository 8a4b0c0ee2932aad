// kpr check under its bounds (--max-kb, --max-ms, --max-heap-mb) on hostile input: every stop is
// a finding that says where and why, stderr names it, and the exit status is 3 (incomplete) unless
// a blocking finding makes it 1. The expected findings are the whole set of non-c-warning ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { giantPatch } from '../../bench/giant';
import { runKpr } from './kpr';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpr-bounds-'));
  writeFileSync(join(dir, 'locals.patch'), giantPatch(20_000, 'chain'));
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

type Shown = { rule: string; severity: string; line: number; message: string };
function findings(stdout: string): Shown[] {
  const report = JSON.parse(stdout) as { documents: { findings: Shown[] }[] };
  return report.documents.flatMap((d) => d.findings).filter((f) => f.rule !== 'c-warning').map(({ rule, severity, line, message }) => ({ rule, severity, line, message }));
}

test('/dev/zero under --max-kb: read up to the bound, said so, exit 3', () => {
  const r = runKpr(['check', '--no-model', '--max-kb', '64', '--format', 'json', '/dev/zero']);
  assert.equal(r.code, 3, `exit ${r.code}: ${r.stderr}`);
  const got = findings(r.stdout).filter((f) => /--max-kb/.test(f.message));
  assert.deepEqual(got.map((f) => [f.rule, f.severity, f.line]), [['patch-syntax', 'warning', 1]]);
  assert.match(got[0]!.message, /^Analysis stopped before line 1: the document is longer than the bound of 64 KB \(--max-kb\)/);
  assert.match(r.stderr, /\/dev\/zero: analysis incomplete: Analysis stopped before line 1/);
});

test('a hunk larger than --max-kb: cut at a line, the cut-off hunk is the bound\'s warning, not an error; exit 3', () => {
  const r = runKpr(['check', '--no-model', '--max-kb', '100', '--format', 'json', join(dir, 'locals.patch')]);
  assert.equal(r.code, 3, `exit ${r.code}: ${r.stderr}`);
  const got = findings(r.stdout);
  assert.equal(got.length, 2, JSON.stringify(got));
  assert.match(got[0]!.message, /^hunk cut off: .* \(the --max-kb bound cut the document here\)$/);
  assert.equal(got[0]!.severity, 'warning');
  assert.match(got[1]!.message, /^Analysis stopped before line \d+: the document has \d+ KB, more than the bound of 100 KB \(--max-kb\)/);
  assert.equal(got[1]!.line, got[0]!.line + 1);
});

test('--max-ms stops a long analysis: its document says so and is not judged; exit 3', () => {
  const r = runKpr(['check', '--max-ms', '300', '--format', 'json', join(dir, 'locals.patch')]);
  assert.equal(r.code, 3, `exit ${r.code}: ${r.stderr}`);
  assert.deepEqual(findings(r.stdout), [{
    rule: 'patch-syntax', severity: 'warning', line: 1,
    message: 'Analysis stopped: the time bound (--max-ms) stopped it (it was still running after 300 ms). No finding of this document is shown; it is not judged.',
  }]);
});

test('--max-heap-mb: an analysis past its heap ceiling is stopped and named; exit 3', () => {
  const r = runKpr(['check', '--no-model', '--max-heap-mb', '8', '--format', 'json', join(dir, 'locals.patch')]);
  assert.equal(r.code, 3, `exit ${r.code}: ${r.stderr}`);
  assert.deepEqual(findings(r.stdout).map((f) => f.message), [
    'Analysis stopped: it needed more memory than the bound (--max-heap-mb) (its heap reached the 8 MB ceiling). No finding of this document is shown; it is not judged.',
  ]);
  assert.match(r.stderr, /analysis incomplete: Analysis stopped: it needed more memory/);
});
