// The editor's diff backgrounds (client/src/diff-lines.ts): which lines are added and removed
// hunk lines. On every seed and end-to-end fixture they are exactly the '+' and '-' lines the
// intake reads as hunk lines; a changelog bullet or a trailer before the diff is neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from '../../client/src/diff-lines';
import { parseDocument } from '../../server/src/intake/parse';
import { repoRoot } from '../cli/kpr';
import { seedNames, seedsDir } from '../support/seeds';

const files = [
  ...seedNames().map((n) => join(seedsDir, n)),
  ...['broken.patch', 'parentheses.patch'].map((n) => join(repoRoot, 'test', 'fixtures', 'e2e', n)),
];

for (const file of files) {
  test(`diff backgrounds match the intake's hunk lines: ${file.split('/').pop()}`, () => {
    const text = readFileSync(file, 'utf8');
    const doc = parseDocument(text, file);
    const hunkLines = doc.files.flatMap((f) => f.hunks.flatMap((h) => h.lines));
    const got = diffLines(text.split('\n'));
    assert.deepEqual(got.added, hunkLines.filter((l) => l.kind === '+').map((l) => l.line).sort((a, b) => a - b));
    assert.deepEqual(got.removed, hunkLines.filter((l) => l.kind === '-').map((l) => l.line).sort((a, b) => a - b));
  });
}

test('a changelog bullet, a trailer and the signature separator are not diff lines', () => {
  const mail = [
    'Subject: [PATCH] x',
    '',
    '- drop the old check',
    '+ add a new one',
    '',
    'Signed-off-by: A <a@example.org>',
    '---',
    '--- a/mm/x.c',
    '+++ b/mm/x.c',
    '@@ -1,2 +1,2 @@',
    ' int a;',
    '-int b;',
    '+long b;',
    '-- ',
    '2.0',
  ];
  assert.deepEqual(diffLines(mail), { added: [12], removed: [11] });
});
