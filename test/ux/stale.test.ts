// Model findings of an earlier text while the model tier runs again: moved by the unchanged head
// and tail, dropped on edited lines, marked stale once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/findings';
import { lineMap, STALE_NOTE, staleFindings } from '../../server/src/lsp/stale';

const r = (l: number) => ({ start: { line: l, character: 1 }, end: { line: l, character: 9 } });
const f = (line: number, extra: Partial<Finding> = {}): Finding => ({ rule: 'dio-coherency', severity: 'error', status: 'introduced', tier: 'model', message: `at ${line}`, range: r(line), ...extra });

const before = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n');
// Line 2 ('c') edited into two lines: the head is a, b; the tail is d, e, f, one line further down.
const after = ['a', 'b', 'C1', 'C2', 'd', 'e', 'f'].join('\n');

test('lines before the edit stay, lines after move by its length, edited lines have no image', () => {
  const map = lineMap(before, after);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(map), [0, 1, undefined, 4, 5, 6]);
});

test('stale findings: moved, window and trace moved, the one on the edited line dropped, marked once', () => {
  const window = { from: r(1), to: r(3), thread: 'dio', interferer: { thread: 'fault', function: 'do_no_page', source: 'patch' as const, range: r(2) } };
  const got = staleFindings([f(0), f(2), f(4, { window, trace: [{ thread: 'dio', function: 'x', source: 'patch', code: 'x', effect: '', range: r(2) }] })], before, after);
  assert.deepEqual(got.map((x) => [x.range.start.line, x.message]), [[0, `at 0${STALE_NOTE}`], [5, `at 4${STALE_NOTE}`]]);
  assert.deepEqual([got[1]!.window?.from.start.line, got[1]!.window?.to.start.line, got[1]!.window?.interferer.range], [1, 4, undefined]);
  assert.equal(got[1]!.trace?.[0]?.range, undefined);
  assert.deepEqual(staleFindings(got, after, after).map((x) => x.message), got.map((x) => x.message));
});
