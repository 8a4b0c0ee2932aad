// Hostile MIME (issue 16): huge base64, 1,000 parts, multiparts nested 100 deep. Each is read
// within the bounds of intake/mime.ts and intake/encoded.ts (MAX_PARTS, MAX_DEPTH,
// MAX_DECODED_BYTES): what lies past a bound is reported where it starts, an encoded part there
// leaves the analysis incomplete, and nothing throws. The findings listed are the whole set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';

const HEAD = ['From: A Developer <dev@example.org>', 'Subject: [PATCH] x', 'MIME-Version: 1.0'];
const PATCH = '--- a/mm/filemap.c\n+++ b/mm/filemap.c\n@@ -1,1 +1,1 @@\n-a\n+b\n';
const b64 = (s: string): string[] => Buffer.from(s).toString('base64').match(/.{1,76}/g) ?? [];

function findings(text: string): { list: string[]; incomplete: number } {
  const a = analyze(text, 'mail.eml');
  const n = a.document.lines.length;
  for (const f of a.findings) assert.ok(f.range.start.line < n && f.range.end.line < n, `inside: ${f.message}`);
  return { list: a.findings.map((f) => `${f.range.start.line} ${f.severity} ${f.message.replace(/: .*/, '')}`), incomplete: a.incomplete?.length ?? 0 };
}

test('base64 larger than the decoded-text bound is refused with its reason, not decoded', async () => {
  await initEngine();
  const line = 'QUJD'.repeat(19);
  const body = Array.from({ length: 600_000 }, () => line); // 45.6 MB of base64: 34 MiB decoded
  const text = [...HEAD, 'Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64', '', ...body, ''].join('\n');
  const r = findings(text);
  assert.deepEqual(r.list, ['4 warning the base64 part is not decoded']);
  assert.equal(r.incomplete, 1);
});

test('1,000 parts are walked; an encoded part past them is reported, not read', async () => {
  await initEngine();
  const lines = [...HEAD, 'Content-Type: multipart/mixed; boundary="P"', ''];
  for (let i = 0; i < 1000; i++) lines.push('--P', 'Content-Type: text/plain', '', `part ${i}`);
  const past = lines.length;
  lines.push('--P', 'Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64', '', ...b64(PATCH), '--P--', '');
  const r = findings(lines.join('\n'));
  assert.deepEqual(r.list, [
    `${past} warning more than 1000 MIME parts`,
    `${past + 2} warning this mail part is base64-encoded but is not where a MIME part starts (no multipart boundary leads to it, or past the MIME bounds)`,
  ]);
  assert.equal(r.incomplete, 1);
});

test('1,000 base64 parts within the bound are all decoded and read', async () => {
  await initEngine();
  const lines = [...HEAD, 'Content-Type: multipart/mixed; boundary="P"', ''];
  for (let i = 0; i < 998; i++) lines.push('--P', 'Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64', '', ...b64(PATCH));
  lines.push('--P--', '');
  const a = analyze(lines.join('\n'), 'mail.eml');
  assert.equal(a.document.files.length, 998);
  assert.equal(a.findings.filter((f) => f.message.startsWith('decoded the base64 part')).length, 998);
  assert.equal(a.incomplete, undefined);
});

test('multiparts nested 100 deep: the walk stops at 8 levels and says so; the patch inside is reported unread', async () => {
  await initEngine();
  const lines = [...HEAD, 'Content-Type: multipart/mixed; boundary="B0"', ''];
  for (let d = 1; d < 100; d++) lines.push(`--B${d - 1}`, `Content-Type: multipart/mixed; boundary="B${d}"`, '');
  lines.push('--B99', 'Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64', '', ...b64(PATCH));
  for (let d = 99; d >= 0; d--) lines.push(`--B${d}--`);
  const depth8 = lines.indexOf('--B7');
  const cte = lines.indexOf('Content-Transfer-Encoding: base64');
  const r = findings(lines.join('\n'));
  assert.deepEqual(r.list, [
    `${depth8} warning MIME parts nested deeper than 8 levels`,
    `${cte} warning this mail part is base64-encoded but is not where a MIME part starts (no multipart boundary leads to it, or past the MIME bounds)`,
  ]);
  assert.equal(r.incomplete, 1);
});

test('a multipart body without its closing boundary, and a part without headers, are still read', async () => {
  await initEngine();
  const text = [...HEAD, 'Content-Type: multipart/mixed; boundary="Q"', '', '--Q', '', 'no headers here', '--Q',
    'Content-Type: text/x-patch; name="p.diff"', 'Content-Transfer-Encoding: base64', '', ...b64(PATCH)].join('\n');
  const r = findings(text);
  assert.deepEqual(r.list, ['10 information decoded attachment p.diff (base64, text/x-patch, us-ascii)']);
  assert.equal(r.incomplete, 0);
});
