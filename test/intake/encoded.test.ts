// A patch sent as a base64 or quoted-printable attachment is not decoded (issue 16.6): each such
// part gets a warning on its Content-Transfer-Encoding line and the analysis is incomplete, so
// `kpr check` exits 3 rather than reporting "0 findings" with exit 0. The findings are the whole set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, initAnalysis } from '../../server/src/analysis';
import { runKpr } from '../cli/kpr';

const base64Mail = join(__dirname, '..', 'fixtures', 'intake', 'base64-attachment.eml');

const qpMail = [
  'From: A Developer <dev@example.org>',
  'Subject: [PATCH] mm: quoted-printable body',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '--- a/mm/filemap.c',
  '+++ b/mm/filemap.c',
  '@@ -10,3 +10,3 @@ void f(void)',
  ' {',
  '-=09a();',
  '+=09b();',
  ' }',
  '',
].join('\n');

const plainMail = qpMail.replace('Encoding: quoted-printable', 'Encoding: 8bit').replace(/=09/g, '\t');

const CASES: { name: string; text: string; findings: string[] }[] = [
  { name: 'a base64 attachment', text: readFileSync(base64Mail, 'utf8'), findings: ['15 warning patch-syntax base64'] },
  { name: 'a quoted-printable mail body', text: qpMail, findings: ['4 warning patch-syntax quoted-printable'] },
  { name: 'an 8bit mail (read as it is)', text: plainMail, findings: [] },
];

for (const c of CASES) {
  test(`${c.name}: ${c.findings.length ? 'not checked, and says so' : 'nothing to say'}`, async () => {
    await initAnalysis();
    const a = analyze(c.text, 'mail.eml');
    const encoded = a.findings.filter((f) => /-encoded and kpr does not decode/.test(f.message));
    assert.deepEqual(encoded.map((f) => `${f.range.start.line} ${f.severity} ${f.rule} ${/base64|quoted-printable/.exec(f.message)![0]}`), c.findings);
    assert.deepEqual(a.incomplete ?? [], encoded.map((f) => f.message));
  });
}

test('kpr check of a patch in a base64 attachment exits 3 (incomplete), never a silent 0', () => {
  const r = runKpr(['check', '--no-model', base64Mail]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /base64-encoded and kpr does not decode attachments/);
  assert.match(r.stderr, /analysis incomplete/);
});
