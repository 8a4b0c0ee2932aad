// A race diagnostic's related information: where the window opens and closes, where the
// interferer gets in, and the (at most two) state changes it makes inside the window, each at
// the line that made it; a document finding in, the related list out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, TraceStep } from '../../server/src/findings';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';

const r = (l: number) => ({ start: { line: l, character: 1 }, end: { line: l, character: 9 } });
const step = (thread: string, line: number, effect = ''): TraceStep => ({ thread, function: 'f', source: 'patch', code: 'c', effect, range: r(line) });

test('the interferer\'s state changes inside the window are related places; idle steps and later ones are not', () => {
  const trace: TraceStep[] = [
    step('dio', 10), step('dio', 11, 'page 0: locked by dio'),
    step('fault', 30), step('fault', 31, 'page 0: count 2 → 3'), step('fault', 32),
    { thread: 'fault', function: 'do_no_page', source: 'model', modelFile: '2.6.10/memory.c', modelLine: 140, code: 'set_pte(page_table, entry)', effect: 'pte 0: maps page 0' },
    step('fault', 34, 'a third change, past the two shown'),
    step('dio', 12, 'page 0: unlocked'), step('fault', 35, 'after the window'),
  ];
  const f: Finding = { rule: 'mapped-uptodate', severity: 'error', status: 'introduced', tier: 'model', message: 'm', range: r(11), scenario: 's', trace,
    window: { from: r(11), to: r(12), thread: 'dio', interferer: { thread: 'fault', function: 'filemap_nopage', source: 'patch', range: r(30) } } };
  const d = toDiagnostic(f, 'file:///x.patch');
  assert.deepEqual(d.relatedInformation?.map((x) => [x.location.uri, x.location.range.start.line, x.message]), [
    ['file:///x.patch', 11, 'race window opens here (dio)'],
    ['file:///x.patch', 12, 'race window closes here (dio)'],
    ['file:///x.patch', 30, 'fault gets in: filemap_nopage'],
    ['file:///x.patch', 31, 'fault: page 0: count 2 → 3 here'],
    ['kpr-model:/2.6.10/memory.c', 140, 'fault: pte 0: maps page 0 here'],
  ]);
});
