// `kpr check` text: grouping per function, the status-following severity word, wrapping to the
// terminal, colour only when asked, control characters escaped, and the verdict per message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis } from '../../server/src/analysis';
import type { Finding } from '../../server/src/findings';
import { formatText, wrap } from '../../server/src/report/text';
import { terminalTextOptions } from '../../server/src/cli/terminal';

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'invalidate-eio',
  severity: 'warning',
  status: 'introduced',
  tier: 'model',
  message: 'an invalidation reported failure for page 0 although no user pinned it.',
  range: r(10, 4, 10, 20),
  file: 'mm/filemap.c',
  function: 'generic_file_direct_IO',
  ...over,
});

const analysis = (findings: Finding[], messages: Analysis['document']['messages'] = []): Analysis => ({
  document: { path: 'x.patch', kind: 'patch', lines: Array.from({ length: 40 }, () => ''), messages, files: [], codeBlocks: [], problems: [] },
  functions: [],
  findings,
  stats: { scenarios: 0, states: 0, ms: 0 },
});

const two = analysis([
  finding({}),
  finding({ rule: 'dirty-uptodate', severity: 'error', status: 'remaining', function: 'invalidate_inode_pages2', file: 'mm/truncate.c', range: r(20, 1, 20, 5), message: 'page 0 is dirty but not uptodate.' }),
  finding({ rule: 'error-clobber', severity: 'error', status: 'introduced', range: r(12, 2, 12, 9), message: "'retval' may still hold -EIOCBQUEUED here." }),
  finding({ rule: 'unmodeled', severity: 'hint', status: 'present', range: r(13, 0, 13, 1), message: 'a call the model does not know.' }),
]);

test('findings are grouped under their function, severities follow the status, the verdict closes the document', () => {
  assert.deepEqual(formatText([two]).split('\n'), [
    'x.patch: generic_file_direct_IO() in mm/filemap.c',
    'x.patch:11:5: warning invalidate-eio [introduced] an invalidation reported failure for page 0 although no user pinned it.',
    "x.patch:13:3: error error-clobber [introduced] 'retval' may still hold -EIOCBQUEUED here.",
    'x.patch:14:1: hint unmodeled [present] a call the model does not know.',
    'x.patch: invalidate_inode_pages2() in mm/truncate.c',
    'x.patch:21:2: warning dirty-uptodate [remaining] page 0 is dirty but not uptodate.',
    'x.patch: verdict: introduces 2 (error-clobber, invalidate-eio) · still has 1 (dirty-uptodate)',
    '1 document, 0 files, 0 hunks: 4 findings (1 error, 2 warnings, 1 hint)',
    '',
  ]);
});

test('no line is wider than the width; continuation lines are indented; colour codes only when asked', () => {
  const long = analysis([finding({ message: 'word '.repeat(60).trim(), function: 'a_function_with_a_name_longer_than_the_terminal_is_wide_at_all' })]);
  for (const width of [40, 60, 80]) {
    const lines = formatText([long], { width }).trimEnd().split('\n');
    assert.ok(lines.every((l) => l.length <= width), `${width}: ${lines.find((l) => l.length > width)}`);
    assert.ok(lines.some((l) => l.startsWith('    word')));
  }
  assert.doesNotMatch(formatText([long], { width: 60 }), /\u001b/);
  const colored = formatText([long], { width: 60, color: true });
  assert.match(colored, /\u001b\[1;33m warning \u001b\[0m/);
  assert.match(colored, /\u001b\[31m\[introduced\]\u001b\[0m/);
  assert.ok(colored.replace(/\u001b\[[0-9;]*m/g, '').split('\n').every((l) => l.length <= 60), 'colour never counts toward the width');
});

test('wrap cuts a word longer than the line', () => {
  assert.deepEqual(wrap('abcdefghijkl mn', 8, '  '), ['abcdefgh', '  ijkl', '  mn']);
});

test('control characters from patch text are printed escaped', () => {
  const text = formatText([analysis([finding({ message: 'thread \u001b[2Jevil\u0007 name', function: 'f\u009bx' })])]);
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  assert.match(text, /thread \\x1b\[2Jevil\\x07 name/);
});

test('a mailbox gets one verdict per message', () => {
  const m = (a: number, b: number, subject: string) => ({ subject, range: r(a, 0, b, 0), bodyLine: a + 3 });
  const text = formatText([analysis([finding({ range: r(5, 0, 5, 1) }), finding({ rule: 'stray-page', status: 'fixed', severity: 'error', range: r(25, 0, 25, 1) })], [m(0, 19, '[PATCH 1/2] one'), m(20, 39, '[PATCH 2/2] two')])]);
  assert.match(text, /^x\.patch: verdict of message 1 \(\[PATCH 1\/2\] one\): introduces 1 \(invalidate-eio\)$/m);
  assert.match(text, /^x\.patch: verdict of message 2 \(\[PATCH 2\/2\] two\): fixes 1 \(stray-page\)$/m);
});

test('terminal options: colour on a terminal unless NO_COLOR, FORCE_COLOR for pipes, width from the terminal or COLUMNS', () => {
  assert.deepEqual(terminalTextOptions({}, { isTTY: true, columns: 90 }), { color: true, width: 90 });
  assert.deepEqual(terminalTextOptions({ NO_COLOR: '1' }, { isTTY: true, columns: 90 }), { color: false, width: 90 });
  assert.deepEqual(terminalTextOptions({}, { isTTY: false }), { color: false, width: 100 });
  assert.deepEqual(terminalTextOptions({ FORCE_COLOR: '1', COLUMNS: '72' }, {}), { color: true, width: 72 });
  assert.deepEqual(terminalTextOptions({ NO_COLOR: '1', FORCE_COLOR: '1' }, {}), { color: false, width: 100 });
});
