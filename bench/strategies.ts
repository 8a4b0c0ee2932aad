// `node --import tsx bench/strategies.ts [seed-substring]`: every applicable scenario of each
// seed, pre and post, searched by each strategy (bounded at the scenario's bound, DPOR, plain
// DFS): states, ms and the rules found. Differences in rules are what the tests must not see.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../server/src/analysis';
import { initEngine } from '../test/support/engine';
import { search, type Strategy } from '../server/src/explore/registry';
import { optionsFromBounds } from '../server/src/explore/search';
import { BUILTIN_SCENARIOS } from '../server/src/scenarios/catalog';
import { planMessages } from '../server/src/verdict/plan';
import { ScenarioSystem } from '../server/src/verdict/scenario-system';
import { seedsDir } from '../test/support/seeds';

const only = process.argv[2] ?? '';
const strategies = (process.env.STRATEGIES ?? 'bounded,dpor,dfs').split(',') as Strategy[];

initEngine().then(() => {
  for (const name of readdirSync(seedsDir).filter((n) => n.endsWith('.txt') && n.includes(only)).sort()) {
    const a = analyze(readFileSync(join(seedsDir, name), 'utf8'), name);
    for (const plan of planMessages(a.document, a.functions, BUILTIN_SCENARIOS)) {
      for (const sc of plan.scenarios) {
        for (const [side, program] of [['pre', plan.pre], ['post', plan.post]] as const) {
          if (!program) continue;
          const row: string[] = [];
          for (const st of strategies) {
            const sys = new ScenarioSystem(program, sc, plan.era);
            const t = performance.now();
            const r = search(sys, st, optionsFromBounds(sc.bounds, { livelock: sc.invariants.includes('livelock'), maxMs: 60_000 }));
            const ms = performance.now() - t;
            const rules = r.violations.map((v) => `${v.rule}/${v.preemptions}`).join(' ');
            row.push(`${st} ${r.states}st ${ms.toFixed(0)}ms${r.complete && !sys.overflowed ? '' : ` INCOMPLETE(${r.reason ?? 'overflow'})`} [${rules}]`);
          }
          console.log(`${name.slice(0, 3)} ${sc.id} ${side}: ${row.join(' | ')}`);
        }
      }
    }
  }
}).catch((e: unknown) => { console.error(e); process.exit(1); });
