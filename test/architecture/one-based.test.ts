// The 1-based check of the architecture test (one-based.ts) on snippets: each row is engine code
// in, the whole list of forms it must report out. The first rows are the forms that reached the
// engine's messages before the check could see them (verdict/unjudged.ts before 9dd5709,
// intake/encoded.ts and intake/transfer.ts before the decoded line became `namedLine`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneBasedForms } from './one-based';

const CASES: [string, string, string[]][] = [
  ['a line list mapped to 1-based, then joined (unjudged.ts before 9dd5709)',
    "const lines = hunkLines(doc, u).map((l) => l + 1);\nconst where = lines.length === 1 ? `the hunk at line ${lines[0]}` : `the hunks at lines ${lines.join(', ')}`;",
    ['=> l + 1', 'lines = hunkLines(doc, u).map((l) => l + 1)']],
  ['a counter + 1 in a template, named like nothing (encoded.ts before)',
    'problems.push(`${label} holds another encoded part (decoded line ${nested + 1}): kpr does not decode it`);',
    ['${nested + 1}']],
  ['a loop index + 1 in a template (transfer.ts before)',
    'if (v < 0) return { ok: false, why: `line ${li + 1} of its body holds "${l[i]}"` };',
    ['${li + 1}']],
  ['the form the first check knew', 'const m = `at line ${f.range.start.line + 1}`;', ['${f.range.start.line + 1}']],
  ['a property mapped to 1-based', 'const shown = findings.map((f) => f.line + 1);', ['=> f.line + 1']],
  ['a number declared + 1 and concatenated', "const n = at.line + 1;\nout.push('line ' + n);", ['n = at.line + 1']],
  ['a number declared + 1 and passed to String', 'let n = line + 1;\nconst s = String(n);', ['n = line + 1']],
  // Not 1-based numbers for a reader: indexes and 0-based arithmetic.
  ['a for loop counter from + 1 formatted as a key', 'for (let i = u.to + 1; i < v.from; i++) gap.add(`${u.hunk}:${i}`);', []],
  ['the next line looked up', 'const next = doc.lines[line + 1];', []],
  ['a name declared + 1 and only compared', 'const end = start + 1;\nif (end > max) return;', []],
  ['a + 1 that is not the whole callback body', 'const xs = ys.map((y) => y + 1 < n ? y : n);', []],
  ['a name formatted far from its declaration (beyond the check: it looks 12 lines on)',
    `const n = line + 1;${'\nx();'.repeat(12)}\nconst s = \`\${n}\`;`, []],
];

for (const [what, code, forms] of CASES) {
  test(`1-based check: ${what}`, () => {
    assert.deepEqual(oneBasedForms(code), forms);
  });
}
