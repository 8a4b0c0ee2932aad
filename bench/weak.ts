// `npm run bench` (weak-memory mode, DESIGN section 13): what `--memory-model weak` costs against
// `sc` on each seed — every applicable scenario, pre and post, at default bounds — with the
// verdicts that differ between the two modes. Each mode runs once after a warm-up run of the seed,
// so neither pays for the JIT.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze, runModelTier } from '../server/src/analysis';
import { initEngine } from '../test/support/engine';
import { MEMORY_MODELS } from '../server/src/model/weak';
import { seedsDir } from '../test/support/seeds';

const root = join(__dirname, '..');
const docs = [
  ...readdirSync(seedsDir).filter((n) => n.endsWith('.txt')).sort().map((n) => join(seedsDir, n)),
  join(root, 'test', 'fixtures', 'weak', 'truncate-count-barriers.patch'),
];

async function main(): Promise<void> {
  await initEngine();
  console.log('weak memory vs sc per document: scenarios, states, ms, complete; verdicts that differ');
  const total = { sc: { states: 0, ms: 0 }, weak: { states: 0, ms: 0 } };
  for (const path of docs) {
    const text = readFileSync(path, 'utf8');
    const name = path.split('/').pop()!;
    runModelTier(analyze(text, name, { staticRules: false }));
    const verdicts: Record<string, Set<string>> = {};
    const cells: string[] = [];
    const states: Record<string, number> = {};
    for (const mm of MEMORY_MODELS) {
      const a = analyze(text, name, { staticRules: false, memoryModel: mm });
      const t = performance.now();
      const r = runModelTier(a);
      const ms = performance.now() - t;
      total[mm].states += r.states;
      states[mm] = r.states;
      total[mm].ms += ms;
      verdicts[mm] = new Set(r.findings.filter((f) => f.tier === 'model').map((f) => `${f.rule} ${f.status}`));
      cells.push(`${mm} ${r.scenarios} scenarios, ${r.states} states, ${ms.toFixed(0)} ms, complete ${r.complete}`);
    }
    const only = (a: string, b: string) => [...verdicts[a]].filter((v) => !verdicts[b].has(v));
    console.log(`  ${name}: ${cells.join(' | ')} (weak/sc ${(states.weak / Math.max(1, states.sc)).toFixed(2)}× states)`);
    const diff = [...only('sc', 'weak').map((v) => `sc only: ${v}`), ...only('weak', 'sc').map((v) => `weak only: ${v}`)];
    if (diff.length) console.log(`    ${diff.join('; ')}`);
  }
  const ratio = (k: 'states' | 'ms') => (total.sc[k] ? (total.weak[k] / total.sc[k]).toFixed(2) : '-');
  console.log(`  total: sc ${total.sc.states} states ${total.sc.ms.toFixed(0)} ms, weak ${total.weak.states} states ${total.weak.ms.toFixed(0)} ms (weak/sc: ${ratio('states')}× states, ${ratio('ms')}× time)`);
}

void main();
