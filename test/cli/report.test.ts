// The report writers on a hand-made analysis holding a model-tier finding with a race window,
// since the engine does not produce such findings yet: 1-based lines, optional members, SARIF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Analysis } from '../../server/src/analysis';
import type { Finding } from '../../server/src/findings';
import { jsonReport } from '../../server/src/report/json';
import { sarifLog } from '../../server/src/report/sarif';
import { formatText } from '../../server/src/report/text';
import { readSettings } from '../../server/src/lsp/settings';
import { repoRoot } from './kpr';

const schema: object = JSON.parse(readFileSync(join(repoRoot, 'server', 'src', 'report', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

const raceFinding: Finding = {
  rule: 'stray-page',
  severity: 'error',
  status: 'fixed',
  tier: 'model',
  message: 'truncate runs while the fault sleeps in ->nopage, and the fault maps a page past i_size.',
  range: r(56, 1, 60, 0),
  file: 'mm/memory.c',
  function: 'do_no_page',
  scenario: 'truncate-vs-fault',
  complete: true,
  window: { from: r(54, 1, 54, 20), to: r(57, 1, 57, 30), thread: 'fault', interferer: { thread: 'truncate', function: 'vmtruncate', source: 'model', modelFile: 'mm/memory.c', modelLine: 9 } },
  trace: [{ thread: 'fault', function: 'do_no_page', source: 'patch', range: r(54, 1, 54, 20), code: 'new_page = vma->vm_ops->nopage(vma, address, &ret);', effect: 'page 3 locked' }],
};

const analysis: Analysis = {
  document: { path: 'mm.patch', kind: 'patch', lines: [], messages: [], files: [], codeBlocks: [], problems: [] },
  functions: [],
  findings: [raceFinding],
  stats: { scenarios: 1, states: 42, ms: 7 },
};

test('JSON: 1-based lines, an end at column 0 belongs to the line before, window and trace kept', () => {
  const report = jsonReport([analysis]);
  assert.ok(validate(report), JSON.stringify(validate.errors));
  const f = report.documents[0]!.findings[0]!;
  assert.deepEqual(
    { line: f.line, endLine: f.endLine, window: f.window, trace: f.trace?.map((t) => t.line), reason: 'reason' in f },
    { line: 57, endLine: 60, window: { from: 55, to: 58, thread: 'fault', interferer: { thread: 'truncate', function: 'vmtruncate', line: 10, source: 'model', modelFile: 'mm/memory.c' } }, trace: [55], reason: false },
  );
  assert.deepEqual(report.documents[0]!.stats, { scenarios: 1, states: 42, ms: 7 });
});

test('SARIF: 1-based region, properties and the window as related locations', () => {
  const log = sarifLog([analysis]) as { runs: { results: Record<string, unknown>[] }[] };
  const res = log.runs[0]!.results[0]! as {
    ruleId: string;
    level: string;
    locations: { physicalLocation: { region: Record<string, number> } }[];
    relatedLocations: { message: { text: string } }[];
    properties: Record<string, unknown>;
  };
  assert.equal(res.ruleId, 'stray-page');
  assert.equal(res.level, 'error');
  // A race sits on the statement where its window opens, as in the editor; JSON keeps the span.
  assert.deepEqual(res.locations[0]!.physicalLocation.region, { startLine: 55, startColumn: 2, endLine: 55, endColumn: 21 });
  assert.deepEqual(res.properties, { status: 'fixed', tier: 'model', scenario: 'truncate-vs-fault', complete: true, function: 'do_no_page' });
  assert.equal(res.relatedLocations.length, 2, 'window from and to; the model-side interferer has no document location');
});

test('text: the function as a heading, one compiler-style line per finding (fixed is a note), the verdict and a summary', () => {
  assert.equal(
    formatText([analysis]),
    'mm.patch: do_no_page() in mm/memory.c\n' +
      "mm.patch:55:2: note stray-page [fixed] truncate runs while the fault sleeps in ->nopage, and the fault maps a page past i_size. It breaks when truncate gets in (vmtruncate() at mm/memory.c:10) between fault's steps at line 55 and line 58. (scenario truncate-vs-fault)\n" +
      'mm.patch: verdict: fixes 1 (stray-page)\n' +
      '1 document, 0 files, 0 hunks: 1 finding (1 note)\n',
  );
});

test('LSP settings accept the three shapes clients send and ignore bad values', () => {
  assert.equal(readSettings({ debounceMs: 5 }).debounceMs, 5);
  assert.equal(readSettings({ kpr: { debounceMs: 6 } }).debounceMs, 6);
  assert.equal(readSettings({ 'kpr.debounceMs': 7 }).debounceMs, 7);
  assert.equal(readSettings({ debounceMs: -1 }).debounceMs, 200);
  assert.equal(readSettings(null).debounceMs, 200);
});
