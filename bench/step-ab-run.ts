// The program bench/step-ab.ts bundles and runs: one search of an invalidate-vs-faults shape
// (seed 000's post side, bench/scenarios) records the model steps it asks for, (state, thread,
// choice), up to N of them; then the working tree's interpreter and the compared revision's, each
// a copy of its own that the search did not run (step-ab-tree.ts, step-ab-base.ts), step all of them ROUNDS times, taking turns on slices of CHUNK steps,
// timed by the process's CPU time. The state, the step program and the options come from the working tree:
// the comparison holds while the revision's state and IR shapes are the same, which the first
// pass checks (every call's reads, writes, notes, violations, choices and record compared).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { analyze } from '../server/src/analysis';
import { INLINED_BYTECODE_CUMULATIVE } from '../server/src/inlining-budget';
import type { State } from '../server/src/model/state';
import type { StepResult } from '../server/src/model/step-result';
import { loadUserScenarios } from '../server/src/scenario-folder';
import { planMessages } from '../server/src/verdict/plan';
import { ScenarioSystem } from '../server/src/verdict/scenario-system';
import { searchScenario } from '../server/src/verdict/side-search';
import { initEngine } from '../test/support/engine';
import { Interpreter as BaseInterpreter } from './step-ab-base';
import { Interpreter as TreeInterpreter } from './step-ab-tree';
import { reportRounds } from './ab-report';

type Call = [State, string, number];
interface Stepper { step(s: State, tid: string, choice: number): StepResult }

const signature = (r: StepResult): string =>
  JSON.stringify([r.reads, r.writes, r.notes, r.violations, r.choices, r.record], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

async function main(): Promise<void> {
  // The CLI's inlining budget, so that V8 compiles the step as it does in `kpr`.
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_CUMULATIVE}`);
  await initEngine();
  const shape = process.env.SHAPE ?? '1x2';
  const limit = Number(process.env.N ?? 40_000);
  const rounds = Number(process.env.ROUNDS ?? 16);
  const root = process.env.KPR_ROOT!;
  const scenario = loadUserScenarios(join(root, 'bench', 'scenarios')).scenarios.find((s) => s.id === `invalidate-faults-${shape}`);
  const seed = process.env.STEP_AB_SEED!;
  if (!scenario) throw new Error(`no scenario invalidate-faults-${shape}`);
  const a = analyze(readFileSync(seed, 'utf8'), 'seed 000');
  const plans = planMessages(a.document, a.functions, [scenario], a.abi);
  const plan = plans.find((p) => p.scenarios.includes(scenario)) ?? plans[0];
  if (!plan) throw new Error('seed 000 has no plan for the scenario');
  const sys = new ScenarioSystem(plan.post, scenario, plan.era, 'sc');
  const calls: Call[] = [];
  const step = sys.interp.step.bind(sys.interp);
  sys.interp.step = (s, tid, choice = 0) => {
    if (calls.length < limit) calls.push([s, tid, choice]);
    return step(s, tid, choice);
  };
  searchScenario(sys);
  const impls: [string, Stepper][] = [['base', new BaseInterpreter(plan.post, sys.interp.options)], ['tree', new TreeInterpreter(plan.post, sys.interp.options)]];
  let differ = 0;
  for (const [s, tid, c] of calls) if (signature(impls[0][1].step(s, tid, c)) !== signature(impls[1][1].step(s, tid, c))) differ++;
  console.log(`invalidate-faults-${shape}: ${calls.length} recorded steps; results that differ between the two: ${differ}`);
  // Each round alternates the two on slices of CHUNK steps (which goes first alternates too), so
  // that a burst of load from elsewhere falls on both alike.
  const chunk = Number(process.env.CHUNK ?? 500);
  const ms: Record<string, number[]> = { base: [], tree: [] };
  for (let r = 0; r < rounds; r++) {
    const spent: Record<string, number> = { base: 0, tree: 0 };
    for (let i = 0, k = 0; i < calls.length; i += chunk, k++) {
      const slice = calls.slice(i, i + chunk);
      for (const [name, ip] of (r + k) % 2 ? [...impls].reverse() : impls) {
        const t0 = process.cpuUsage();
        for (const [s, tid, c] of slice) ip.step(s, tid, c);
        const t = process.cpuUsage(t0);
        spent[name] += (t.user + t.system) / 1000;
      }
    }
    ms.base.push(spent.base);
    ms.tree.push(spent.tree);
  }
  reportRounds(ms);
}

void main();
