// `npm run bench`: the budgets of DESIGN section 12, measured (never asserted in tests).
// Static tier per seed document: intake, functions, lowering and static rules, each timed.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from '../server/src/intake/parse';
import { extractFunctions } from '../server/src/functions/extract';
import { lowerFunction } from '../server/src/lower/lower';
import { runStaticRules } from '../server/src/rules/static';
import { initEngine } from '../test/support/engine';
import { seedsDir } from '../test/support/seeds';

const root = join(__dirname, '..');
const RUNS = 20;

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const [, initMs] = await (async () => { const t = performance.now(); await initEngine(); return [0, performance.now() - t] as const; })();
  console.log(`parser init: ${initMs.toFixed(1)} ms (once per process)`);
  console.log('static tier per seed (median of %d runs, ms): intake / functions / lowering / rules = total  [budget 50]', RUNS);
  for (const name of readdirSync(seedsDir).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(join(seedsDir, name), 'utf8');
    const t: number[][] = [[], [], [], [], []];
    for (let i = 0; i < RUNS; i++) {
      const [doc, a] = time(() => parseDocument(text, name));
      const [fns, b] = time(() => extractFunctions(doc));
      const [, c] = time(() => {
        for (const f of fns.functions) {
          if (f.pre) lowerFunction(f.pre, f.name);
          if (f.post) lowerFunction(f.post, f.name);
        }
      });
      const [, d] = time(() => runStaticRules(doc, fns.functions));
      // Rules lower again internally; the total is what a surface pays: intake + functions + rules.
      t[0].push(a); t[1].push(b); t[2].push(c); t[3].push(d); t[4].push(a + b + d);
    }
    const m = t.map(median);
    const verdict = m[4] < 50 ? 'ok' : 'OVER BUDGET';
    console.log(`  ${name}: ${m[0].toFixed(2)} / ${m[1].toFixed(2)} / ${m[2].toFixed(2)} / ${m[3].toFixed(2)} = ${m[4].toFixed(2)}  ${verdict}`);
  }
  console.log(`rss: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

main().catch((e) => { console.error(e); process.exit(1); });
