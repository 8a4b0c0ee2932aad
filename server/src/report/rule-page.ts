/**
 * The page about one rule that a diagnostic's code links to (`kpr-rule:/<id>.md`): what it checks,
 * the kernel rule behind it, a short example and how to fix it (rule-examples.ts), and the built-in
 * scenarios that judge it. Written from the catalog (findings.ts, scenarios/catalog.ts), so a page
 * never disagrees with what the engine does. The VS Code client shows it in the Markdown preview.
 */
import { isRuleId, RULES } from '../findings';
import { RULE_EXAMPLES } from './rule-examples';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';

/** The rule's page in Markdown, or undefined for an unknown id. */
export function rulePage(id: string): string | undefined {
  if (!isRuleId(id)) return undefined;
  const r = RULES[id];
  const scenarios = BUILTIN_SCENARIOS.filter((s) => s.invariants.includes(id));
  const lines = [
    `# ${id}`,
    '',
    r.doc,
    '',
    `**The kernel rule behind it.** ${r.kernelRule}`,
    '',
    '## Example',
    '',
    '```c',
    ...RULE_EXAMPLES[id].example,
    '```',
    '',
    `**How to fix.** ${RULE_EXAMPLES[id].fix}`,
    '',
    `**Severity.** ${r.severity}. A finding says whether the patch *introduces* the problem (post side only), leaves it *remaining* (both sides), *fixes* it (pre side only), or whether mail code has it (*present*).`,
    '',
  ];
  if (scenarios.length > 0) {
    lines.push('**Judged by the model tier in these scenarios:**', '');
    for (const s of scenarios) lines.push(`- \`${s.id}\` — ${s.title}`);
  } else {
    lines.push('**Judged by the static tier** (or on every state of every scenario) rather than by one scenario.');
  }
  lines.push('', 'Run a scenario with `Kernel Patch: Run Scenario…` or `kpr run <scenario> --patch FILE` to see its trace.', '');
  return lines.join('\n');
}
