// Fuzz class for encoded mail (issue 16.6): mails built by mimegen.ts (a seed window as a base64,
// quoted-printable or 8bit part, nested 0-12 deep, random widths, charsets, types and damage)
// through analyze() and the pipeline oracle (oracle.ts: nothing throws, every position inside
// the document, every problem a finding). Differential oracle: a part that must decode (known
// charset, text type, no damage, at the top of the mail) gets the static findings its 8bit form
// gets (severity, rule, status), a base64 one on its Content-Transfer-Encoding line with the
// decoded line in the message; an undecodable encoded part leaves the analysis incomplete.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/analysis';
import { shownMessage } from '../../server/src/report/finding-message';
import { initEngine } from '../support/engine';
import { check } from './oracle';
import { mimeMail, mimeParams } from './mimegen';

before(() => initEngine());

const NOTE = /^decoded (?:attachment|the (?:base64|quoted-printable) part)/;

test('fuzz: encoded mail (base64, quoted-printable, nested, damaged; 400 cases)', (t) => {
  let decoded = 0;
  let refused = 0;
  fc.assert(
    fc.property(mimeParams(), (p) => {
      const m = mimeMail(p);
      const v = check({ kind: 'text', text: m.text }, { strict: false });
      assert.deepEqual(v.failures, [], JSON.stringify(p));
      const a = analyze(m.text, 'mail.eml');
      if (p.encoding !== '8bit' && !m.decodable && !a.findings.some((f) => NOTE.test(f.message))) {
        // Not decoded (and not a harmless binary image): the analysis says it is incomplete.
        const image = a.findings.some((f) => f.severity === 'information' && /decodes to binary data/.test(f.message));
        if (!image) assert.ok((a.incomplete?.length ?? 0) > 0, `incomplete: ${JSON.stringify(p)}`);
        refused++;
      }
      if (!m.decodable || p.depth > 0) return;
      decoded++;
      const plain = analyze(m.plain, 'plain.eml');
      const key = (f: { severity: string; rule: string; status: string }) => `${f.severity} ${f.rule} ${f.status}`;
      assert.deepEqual(a.findings.filter((f) => !NOTE.test(f.message)).map(key).sort(), plain.findings.map(key).sort(), JSON.stringify(p));
      if (p.encoding === 'base64') {
        const lines = a.findings.filter((f) => f.range.start.line === m.header && !NOTE.test(f.message)).map((f) => Number(/decoded line (\d+) of/.exec(shownMessage(f))?.[1])).sort((x, y) => x - y);
        const want = plain.findings.filter((f) => f.range.start.line >= m.plainStart).map((f) => f.range.start.line - m.plainStart + 1).sort((x, y) => x - y);
        assert.deepEqual(lines, want, JSON.stringify(p));
      }
    }),
    { numRuns: 400, seed: 0x6d696d65 },
  );
  t.diagnostic(`${decoded} decodable parts compared with their 8bit form; ${refused} encoded parts refused`);
  assert.ok(decoded > 20 && refused > 20, `${decoded} compared, ${refused} refused`);
});
