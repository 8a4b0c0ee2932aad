// Every rule has a page, and every diagnostic's code links to its rule's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES, type RuleId } from '../../server/src/findings';
import { RULE_EXAMPLES } from '../../server/src/report/rule-examples';
import { ruleHref, ruleOfUri } from '../../server/src/protocol';
import { rulePage } from '../../server/src/report/rule-page';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';

test('rule pages: one per rule id, with its doc and the kernel rule behind it', () => {
  for (const [id, info] of Object.entries(RULES)) {
    const page = rulePage(id);
    assert.ok(page, id);
    assert.ok(page.startsWith(`# ${id}\n`), id);
    assert.ok(page.includes(info.doc) && page.includes(info.kernelRule), id);
    assert.ok(page.includes(`## Example\n\n\`\`\`c\n${RULE_EXAMPLES[id as RuleId].example.join('\n')}\n\`\`\`\n`), `${id}: its example as a C block`);
    assert.ok(page.includes(`**How to fix.** ${RULE_EXAMPLES[id as RuleId].fix}`), `${id}: how to fix`);
    assert.ok(RULE_EXAMPLES[id as RuleId].example.every((l) => !l.includes('```')), `${id}: the example cannot close its block`);
    assert.equal(ruleOfUri(ruleHref(id)), id);
  }
  assert.equal(rulePage('no-such-rule'), undefined);
  assert.equal(ruleOfUri('kpr-rule:/no-such-rule.md'), undefined);
  assert.equal(ruleOfUri('file:///etc/passwd'), undefined);
});

test('a diagnostic\'s code description is its rule\'s page', () => {
  const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } };
  const d = toDiagnostic({ rule: 'livelock', severity: 'warning', status: 'introduced', tier: 'model', message: 'm', range }, 'file:///x.patch');
  assert.deepEqual(d.codeDescription, { href: 'kpr-rule:/livelock.md' });
  assert.equal(d.code, 'livelock');
});
