// What a model worker is handed (worker/model-tasks.ts `tierInput`): the document's analysis,
// cloned across the thread boundary, in place of its text to analyse again. The model tier on it
// must give what it gives on the analysis itself, findings and runs alike; with the patch in a
// base64 mail part too, where the tier reads the decoded view (`Analysis.engine`) and maps its
// positions back. Documents in, the whole model-tier result out; small search bounds keep it quick.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { runModelTier } from '../../server/src/verdict/tier';
import { scenarioSet, tierInput } from '../../server/src/worker/model-tasks';

const repoRoot = join(__dirname, '..', '..');
const patch = readFileSync(join(repoRoot, 'examples', 'fault-skips-truncate-recheck.patch'), 'utf8');

/** The same mail with its diff sent as a base64 attachment (the prose stays plain). */
function asAttachment(text: string): string {
  const at = text.indexOf('\ndiff ');
  const prose = text.slice(0, at + 1).replace(/^From: .*\nSubject: .*\n/, '');
  const diff = text.slice(at + 1);
  const b64 = Buffer.from(diff, 'utf8').toString('base64').replace(/.{76}/g, '$&\n');
  return [
    'From: Example Author <example@example.org>',
    'Subject: [PATCH] mm: do_no_page: skip the truncate_count re-check',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    prose.trimEnd(),
    '',
    '--B',
    'Content-Type: text/x-patch; name="fix.patch"',
    'Content-Transfer-Encoding: base64',
    '',
    b64.trimEnd(),
    '',
    '--B--',
    '',
  ].join('\n');
}

const options = { scenarios: scenarioSet({ bounds: { states: 300 } }) };

before(() => initEngine());

for (const [what, text] of [['a plain patch', patch], ['the patch in a base64 part', asAttachment(patch)]] as const) {
  test(`the model tier on tierInput of ${what}, cloned, gives what it gives on the analysis`, () => {
    const analysis = analyze(text, 'fix.patch');
    assert.equal(analysis.engine !== undefined, what !== 'a plain patch', 'only the mail has a decoded view');
    const direct = runModelTier(analysis, options);
    const handed = runModelTier(structuredClone(tierInput(analysis)), options);
    assert.ok(direct.runs.some((r) => r.judged), 'some scenario is judged');
    const strip = (r: typeof direct) => ({ ...r, ms: 0, runs: r.runs.map((x) => ({ ...x, pre: x.pre && { ...x.pre, ms: 0 }, post: x.post && { ...x.post, ms: 0 } })) });
    assert.deepEqual(strip(handed), strip(direct));
  });
}
