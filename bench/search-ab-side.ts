// One side of bench/search-ab.ts: the searches it times, built from one copy of server/src (the
// working tree's or the compared revision's; the bundle gives each copy its own modules, so
// neither search's JIT feedback helps the other). `prepare` plans once; each call of the returned
// function runs every search anew (a new system, so no state key or memo carries over).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, initAnalysis, useEngineAssets } from '../server/src/analysis';
import { readEngineAssets } from '../server/src/engine-assets';
import { loadUserScenarios } from '../server/src/scenario-folder';
import { BUILTIN_SCENARIOS } from '../server/src/scenarios/catalog';
import { planMessages } from '../server/src/verdict/plan';
import { ScenarioSystem } from '../server/src/verdict/scenario-system';
import { searchScenario } from '../server/src/verdict/side-search';

/** What one run found: the states of each search, and the rules with their preemptions. */
export type Searches = () => string[];

/** `target`: `1x2` (an invalidate-vs-faults shape of bench/scenarios, seed 000's post side) or
 *  a seed's file (every applicable built-in scenario, pre and post, as `kpr check` runs them). */
export async function prepare(root: string, seed: string, target: string): Promise<Searches> {
  useEngineAssets(readEngineAssets());
  await initAnalysis();
  const shape = /^\d+x\d+$/.test(target);
  const scenarios = shape ? loadUserScenarios(join(root, 'bench', 'scenarios')).scenarios.filter((s) => s.id === `invalidate-faults-${target}`) : BUILTIN_SCENARIOS;
  if (scenarios.length === 0) throw new Error(`no scenario invalidate-faults-${target}`);
  const a = analyze(readFileSync(shape ? seed : target, 'utf8'), 'search-ab');
  const jobs: (() => ScenarioSystem)[] = [];
  for (const plan of planMessages(a.document, a.functions, scenarios, a.abi)) {
    for (const sc of plan.scenarios) {
      for (const program of shape ? [plan.post] : [plan.pre, plan.post]) if (program) jobs.push(() => new ScenarioSystem(program, sc, plan.era, 'sc'));
    }
  }
  return () => jobs.map((make) => {
    const sys = make();
    const { result, complete } = searchScenario(sys);
    return `${sys.scenario.id} ${result.states}${complete ? '' : ' incomplete'} ${result.violations.map((v) => `${v.rule}/${v.preemptions}`).sort().join(',')}`;
  });
}
