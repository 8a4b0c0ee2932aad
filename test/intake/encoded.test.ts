// A patch in a base64 or quoted-printable mail part (issue 16.6) is decoded and analysed: the same
// patch as an 8bit mail, a base64 attachment and a quoted-printable body gets the same findings
// (rule, severity, status), placed by the rule of intake/decoded-map.ts: QP findings on the
// encoded line where their decoded line starts, base64 findings on the part's
// Content-Transfer-Encoding line with "decoded line N of attachment NAME" in the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, analyzeModel, type Analysis } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { BUILTIN_SCENARIOS } from '../../server/src/scenarios/catalog';
import type { Finding } from '../../server/src/findings';
import { runKpr } from '../cli/kpr';
import { hoverText } from '../../server/src/lsp/hover';
import { shownMessage, withNamedLine } from '../../server/src/report/finding-message';
import { seedText } from './helpers';
import { base64Attachment, eightBit, quotedPrintable, type MailForm } from './mime-forms';

const base64Mail = join(__dirname, '..', 'fixtures', 'intake', 'base64-attachment.eml');
const DECODED_NOTE = /^decoded (?:attachment|the (?:base64|quoted-printable) part)/;

/** Every position a surface gets lies in the document: findings, related places, outline ranges. */
function assertInside(a: Analysis): void {
  const n = a.document.lines.length;
  const inside = (r: Finding['range'], what: string) => {
    for (const p of [r.start, r.end]) {
      assert.ok(p.line >= 0 && p.line < n && p.character >= 0 && p.character <= a.document.lines[p.line]!.length, `${what} at ${p.line}:${p.character} is outside the document`);
    }
  };
  for (const f of a.findings) {
    inside(f.range, f.message);
    for (const r of f.related ?? []) inside(r.range, r.message);
  }
  for (const f of a.document.files) { inside(f.range, 'file'); for (const h of f.hunks) { inside(h.range, 'hunk'); for (const l of h.lines) assert.ok(l.line < n, 'hunk line'); } }
  for (const f of a.functions) inside(f.range, `function ${f.name}`);
}

/** `line severity rule status`, with the decoded line of a base64 finding, sorted. */
function shown(a: Analysis): string[] {
  return a.findings.filter((f) => !DECODED_NOTE.test(f.message)).map((f) => {
    const d = /\(decoded line (\d+) of attachment fix\.patch\)$/.exec(withNamedLine(f));
    return `${f.range.start.line}${d ? ` (decoded ${d[1]})` : ''} ${f.severity} ${f.rule} ${f.status}`;
  }).sort();
}

/** What the 8bit findings must read as in `form`: the line rule of decoded-map.ts. */
function expected(plain: Analysis, plainForm: MailForm, form: MailForm, base64: boolean): string[] {
  return plain.findings.map((f) => {
    const k = f.range.start.line - plainForm.lineOf(0);
    return `${form.lineOf(k)}${base64 ? ` (decoded ${k + 1})` : ''} ${f.severity} ${f.rule} ${f.status}`;
  }).sort();
}

for (const seed of ['000_', '002_']) {
  test(`seed ${seed}: the same static findings as 8bit, base64 attachment and quoted-printable body`, async () => {
    await initEngine();
    const patch = seedText(seed);
    const plainForm = eightBit(patch);
    const plain = analyze(plainForm.text, 'plain.eml');
    assert.ok(plain.findings.length > 0);
    for (const [form, base64] of [[base64Attachment(patch), true], [quotedPrintable(patch), false]] as const) {
      const a = analyze(form.text, 'mail.eml');
      assert.deepEqual(shown(a), expected(plain, plainForm, form, base64));
      assert.deepEqual(a.findings.filter((f) => DECODED_NOTE.test(f.message)).map((f) => `${f.range.start.line} ${f.severity}`), [`${form.header} information`]);
      assert.equal(a.incomplete, undefined);
      assertInside(a);
    }
  });
}

test('seed 002_: the model tier finds the same in the 8bit, base64 and quoted-printable forms', async () => {
  await initEngine();
  const patch = seedText('002_');
  const scenarios = BUILTIN_SCENARIOS.filter((s) => s.id === 'aio-dio-write' || s.id === 'dio-write-vs-read');
  const plainForm = eightBit(patch);
  const plain = analyze(plainForm.text, 'plain.eml');
  await analyzeModel(plain, { scenarios });
  assert.ok(plain.findings.some((f) => f.tier === 'model'));
  for (const [form, base64] of [[base64Attachment(patch), true], [quotedPrintable(patch), false]] as const) {
    const a = analyze(form.text, 'mail.eml');
    await analyzeModel(a, { scenarios });
    assert.deepEqual(shown(a), expected(plain, plainForm, form, base64));
    assertInside(a);
  }
});

/** A mail whose one part is `headers` + `body`; the Content-Transfer-Encoding header is on line 7. */
function onePart(headers: string[], body: string[]): string {
  return ['From: A Developer <dev@example.org>', 'Subject: [PATCH] x', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="B"', '',
    '--B', ...headers, '', ...body, '--B--', ''].join('\n');
}
const patchB64 = Buffer.from('--- a/mm/filemap.c\n+++ b/mm/filemap.c\n@@ -1,1 +1,1 @@\n-a\n+b\n').toString('base64');

const BAD: { name: string; text: string; findings: string[] }[] = [
  { name: 'a character outside base64', text: onePart(['Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64'], [patchB64.slice(0, 8) + '*' + patchB64.slice(8)]),
    findings: ['7 warning incomplete the base64 part is not decoded: its body holds "*", which is not base64. A patch inside it is not checked. (line 10)'] },
  { name: 'invalid padding', text: onePart(['Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64'], ['QUJD=RA==']),
    findings: ['7 warning incomplete the base64 part is not decoded: its body has base64 after "=" padding. A patch inside it is not checked. (line 10)'] },
  { name: 'an incomplete last group', text: onePart(['Content-Type: text/x-patch', 'Content-Transfer-Encoding: base64'], ['QUJDR']),
    findings: ['7 warning incomplete the base64 part is not decoded: its base64 ends in an incomplete group (bad padding). A patch inside it is not checked.'] },
  { name: 'an unknown charset', text: onePart(['Content-Type: text/plain; charset=koi8-r', 'Content-Transfer-Encoding: quoted-printable'], ['abc']),
    findings: ['7 warning incomplete the quoted-printable part is not decoded: its charset "koi8-r" is not one kpr decodes (utf-8, us-ascii, iso-8859-1). A patch inside it is not checked.'] },
  { name: 'a multipart inside base64', text: onePart(['Content-Type: multipart/mixed; boundary="C"', 'Content-Transfer-Encoding: base64'], [patchB64]),
    findings: ['7 warning incomplete a multipart/mixed part in base64 (not allowed by RFC 2045): kpr does not decode it, so a patch inside it is not checked'] },
  { name: 'a binary image', text: onePart(['Content-Type: image/png; name="a.png"', 'Content-Transfer-Encoding: base64'], ['iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB']),
    findings: ['7 information complete attachment a.png (image/png, base64) decodes to binary data, not text: kpr does not read it.'] },
  { name: 'binary data that may be a patch', text: onePart(['Content-Type: application/octet-stream; name="fix.patch.gz"', 'Content-Transfer-Encoding: base64'], ['H4sIAAAAAAAAA0tMSgYA']),
    findings: ['7 warning incomplete attachment fix.patch.gz (application/octet-stream, base64) decodes to binary data, not text: kpr does not read it; a patch inside it is not checked.'] },
  { name: 'an encoded part inside a quoted-printable one', text: onePart(['Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable'], ['Forwarded:', 'Content-Transfer-Encoding: base64', '', patchB64]),
    findings: [
      '7 warning incomplete the quoted-printable part holds another encoded part: kpr does not decode encodings inside encodings, so a patch inside it is not checked. (decoded line 2 of the quoted-printable part)',
      '7 information complete decoded the quoted-printable part (quoted-printable, text/plain, us-ascii): 4 lines checked; findings in it are shown on its own encoded lines.',
    ] },
];

for (const c of BAD) {
  test(`a part that cannot be read (${c.name}) says why and leaves the analysis incomplete`, async () => {
    await initEngine();
    const a = analyze(c.text, 'mail.eml');
    const got = a.findings.map((f) => `${f.range.start.line} ${f.severity} ${a.incomplete?.includes(f.message) ? 'incomplete' : 'complete'} ${shownMessage(f)}`);
    assert.deepEqual(got, c.findings);
    assert.equal((a.incomplete ?? []).length, c.findings.filter((f) => f.includes(' incomplete ')).length);
  });
}

test('a quoted-printable body: soft line breaks and =XX escapes decode, findings stay on their own lines', async () => {
  await initEngine();
  const long = `+\tint ${'a'.repeat(90)} = 1;`;
  const form = quotedPrintable(['--- a/mm/filemap.c', '+++ b/mm/filemap.c', '@@ -1,3 +1,4 @@ void f(void)', ' {', long, '+\tx = 1;', ' }', ''].join('\n'));
  assert.ok(form.text.includes('=09') && form.text.includes('=\n'), 'the encoding has escapes and soft breaks');
  const a = analyze(form.text, 'mail.eml');
  const hunk = a.document.files[0]!.hunks[0]!;
  assert.deepEqual(hunk.lines.map((l) => `${l.line} ${l.kind}${l.text}`), [
    `${form.lineOf(3)}  {`, `${form.lineOf(4)} ${long}`, `${form.lineOf(5)} +\tx = 1;`, `${form.lineOf(6)}  }`,
  ]);
  assertInside(a);
});

test('kpr check of a patch in a base64 attachment reads it (exit 0, the decoded part noted); an undecodable one exits 3', () => {
  const r = runKpr(['check', '--no-model', '--format', 'json', base64Mail]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const doc = JSON.parse(r.stdout).documents[0];
  assert.deepEqual(doc.findings.map((f: { line: number; severity: string; message: string }) => `${f.line} ${f.severity} ${f.message}`), [
    '16 information decoded attachment fix.patch (base64, text/x-patch, us-ascii): 8 lines checked; findings in it are shown on this line with their decoded line number.',
  ]);
  assert.deepEqual(doc.files.map((f: { hunks: { line: number }[] }) => f.hunks.map((h) => h.line)), [[16]]);
  const dir = mkdtempSync(join(tmpdir(), 'kpr-mime-'));
  const bad = join(dir, 'bad.eml');
  writeFileSync(bad, readFileSync(base64Mail, 'utf8').replace('b2lkIGYodm9pZCkKIHsKLQlhKCk7', 'b2lkIGYodm9p!ZCkKIHsKLQlhKCk7'));
  const b = runKpr(['check', '--no-model', '--format', 'json', bad]);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(b.code, 3, b.stdout + b.stderr);
  assert.deepEqual(JSON.parse(b.stdout).documents[0].findings.map((f: { line: number; message: string }) => `${f.line} ${f.message}`), [
    '16 attachment fix.patch (base64) is not decoded: its body holds "!", which is not base64. A patch inside it is not checked. (line 20)',
  ]);
  assert.match(b.stderr, /analysis incomplete/);
});

test('the hover on a base64 part header says what was decoded, then its findings with their decoded lines', async () => {
  await initEngine();
  const form = base64Attachment(seedText('002_'));
  const a = analyze(form.text, 'mail.eml');
  const hover = hoverText(a, form.header!, 'file:///mail.eml', false)!;
  const decodedLines = a.findings.filter((f) => f.range.start.line === form.header).map((f) => /decoded line (\d+)/.exec(shownMessage(f))?.[1]).filter(Boolean);
  assert.ok(decodedLines.length > 0);
  assert.match(hover, /^Mail: \*\*\\\[PATCH\\\] mm: a fix\*\*\n\nDecoded attachment fix\.patch \(text\/x-patch, us-ascii\): \d+ lines read: `mm\/filemap\.c` \(2 hunks\)\. Its findings are shown on this line with their decoded line\./);
  assert.doesNotMatch(hover, /This line:/);
  for (const n of decodedLines.slice(0, 2)) assert.ok(hover.includes(`(decoded line ${n} of attachment fix.patch)`), `decoded line ${n} in the hover`);
});
