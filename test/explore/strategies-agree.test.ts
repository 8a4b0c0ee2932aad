// The three searches agree on every verdict over the seeds and the fixtures (issue 13's tests):
// for each scenario a document's plan runs, on each side, exhaustive DPOR (the default), plain DFS
// and bounded search at the largest preemption count of DPOR's witnesses find the same violations
// (rule and cause, `violationKey`), and the exhaustive ones say they searched everything. A
// reduction that prunes a schedule it should not, or a witness search that misses what the
// exhaustive one found, fails here on the kernel code the tool judges, not only on the random small
// systems of property.test.ts. The documents are the seeds (ground truth, DESIGN section 11), the
// history fixtures (one per issue-12 behaviour) and the real patches (test/fixtures/real).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { bounded } from '../../server/src/explore/bounded';
import { complete } from '../../server/src/explore/complete';
import { optionsFromBounds, type SearchResult } from '../../server/src/explore/search';
import { violationKey } from '../../server/src/explore/system';
import { planMessages } from '../../server/src/verdict/plan';
import { ScenarioSystem } from '../../server/src/verdict/scenario-system';
import { initEngine } from '../support/engine';
import { seedNames, seedPath, seedsSkip } from '../support/seeds';

const fixtures = join(__dirname, '..', 'fixtures');
const inFolder = (dir: string, keep: (n: string) => boolean) =>
  readdirSync(join(fixtures, dir)).filter(keep).sort().map((n) => join(fixtures, dir, n));

const DOCUMENTS: { group: string; files: () => string[]; skip?: string | false }[] = [
  { group: 'seeds', files: () => seedNames().map((n) => seedPath(n.slice(0, 3))), skip: seedsSkip() },
  { group: 'history fixtures', files: () => inFolder('history', (n) => n.endsWith('.patch')) },
  // The .lib twins give the model the same code as their real patch (real.test.ts).
  { group: 'real fixtures', files: () => inFolder('real', (n) => /\.(patch|mbox)$/.test(n) && !n.includes('.lib.')) },
];

/** A state budget far above every scenario of these documents (the largest is about 15,000). */
const MAX_STATES = 400_000;

const keys = (r: SearchResult) => [...new Set(r.violations.map(violationKey))].sort();

before(() => initEngine());

// Some documents run no scenario (seed 004 is a discussion; a patch whose hunks are not placed is
// unjudged): each group as a whole must compare something.
const ran = new Map<string, number>();
after(() => {
  for (const { group, skip } of DOCUMENTS) if (!skip) assert.ok((ran.get(group) ?? 0) > 0, `the ${group} ran no scenario`);
});

for (const { group, files, skip } of DOCUMENTS) {
  for (const file of skip ? [] : files()) {
    test(`${group}: ${file.split('/').pop()}: dpor, dfs and bounded search find the same violations on every scenario side`, () => {
      let sides = 0;
      const a = analyze(readFileSync(file, 'utf8'), file);
      for (const plan of planMessages(a.document, a.functions)) {
        for (const sc of plan.scenarios) {
          for (const [side, program] of [['pre', plan.pre], ['post', plan.post]] as const) {
            if (!program) continue;
            const where = `${sc.id} (${side}, ${plan.era})`;
            const opts = optionsFromBounds(sc.bounds, { livelock: sc.invariants.includes('livelock'), maxStates: MAX_STATES });
            const system = () => new ScenarioSystem(program, sc, plan.era);
            const byDpor = complete(system(), { ...opts, engine: 'dpor', checkFootprints: true });
            const byDfs = complete(system(), { ...opts, engine: 'dfs' });
            assert.ok(byDpor.exhaustive && byDfs.exhaustive, `${where}: both searches end (dpor ${byDpor.states}, dfs ${byDfs.states} states)`);
            assert.deepEqual(keys(byDpor), keys(byDfs), `${where}: dpor and dfs`);
            // Bounded search at the largest preemption count of the witnesses must meet every one
            // of them; it searches every schedule up to that bound, so it must find nothing else.
            const bound = byDpor.violations.reduce((m, v) => Math.max(m, v.preemptions), 0);
            const byBound = bounded(system(), { ...opts, preemptions: bound });
            assert.ok(byBound.complete, `${where}: bounded search at ${bound} ends (${byBound.states} states)`);
            assert.deepEqual(keys(byBound), keys(byDfs), `${where}: bounded at ${bound} and dfs`);
            sides++;
          }
        }
      }
      ran.set(group, (ran.get(group) ?? 0) + sides);
    });
  }
}
