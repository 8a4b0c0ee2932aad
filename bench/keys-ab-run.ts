// The program bench/keys-ab.ts bundles and runs: one search of an invalidate-vs-faults shape
// (seed 000's post side, bench/scenarios) records every state it keys, in order, with its extra
// (the violations of the step into it); the search's own keys come from a third copy of the
// working tree's StateKeys. Then a fresh StateKeys of the working tree (keys-ab-tree.ts) and one
// of the compared revision (keys-ab-base.ts) key all of them, in the search's order (so objects
// shared between states are met again as the search met them). The first pass checks that the
// two sort the states into the same classes (state i is equal to the first state with its key);
// each round then times both with fresh tables, which goes first alternating, by CPU time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { analyze } from '../server/src/analysis';
import { INLINED_BYTECODE_CUMULATIVE } from '../server/src/inlining-budget';
import type { State } from '../server/src/model/state';
import { loadUserScenarios } from '../server/src/scenario-folder';
import { planMessages } from '../server/src/verdict/plan';
import { ScenarioSystem } from '../server/src/verdict/scenario-system';
import { searchScenario } from '../server/src/verdict/side-search';
import { initEngine } from '../test/support/engine';
import { StateKeys as BaseKeys } from './keys-ab-base';
import { StateKeys as TreeKeys } from './keys-ab-tree';
import { reportRounds } from './ab-report';

// A revision's key may be a string (before keys became numbers) or a number: only their classes are compared.
interface Keyer { key(s: State, extra?: string, from?: readonly unknown[]): string | number; readonly parts?: readonly unknown[] }
/** A state keyed, its extra, and the index of the state whose parts it was keyed from (-1: none). */
type Recorded = [State, string | undefined, number];


/** Per state, the index of the first state with its key: the equivalence the keys make. */
function classes(keys: readonly (string | number)[]): Int32Array {
  const first = new Map<string | number, number>();
  const out = new Int32Array(keys.length);
  keys.forEach((k, i) => {
    let f = first.get(k);
    if (f === undefined) first.set(k, (f = i));
    out[i] = f;
  });
  return out;
}

/** Keys every state as the search did, each from its parent's parts (a revision without parts ignores them). */
function keyAll(k: Keyer, states: readonly Recorded[]): (string | number)[] {
  const parts: (readonly unknown[] | undefined)[] = [];
  return states.map(([s, extra, from], i) => {
    const key = k.key(s, extra, from < 0 ? undefined : parts[from]);
    parts[i] = k.parts;
    return key;
  });
}

async function main(): Promise<void> {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_CUMULATIVE}`);
  await initEngine();
  const shape = process.env.SHAPE ?? '1x2';
  const rounds = Number(process.env.ROUNDS ?? 10);
  const root = process.env.KPR_ROOT!;
  const scenario = loadUserScenarios(join(root, 'bench', 'scenarios')).scenarios.find((s) => s.id === `invalidate-faults-${shape}`);
  if (!scenario) throw new Error(`no scenario invalidate-faults-${shape}`);
  const a = analyze(readFileSync(process.env.STEP_AB_SEED!, 'utf8'), 'seed 000');
  const plans = planMessages(a.document, a.functions, [scenario], a.abi);
  const plan = plans.find((p) => p.scenarios.includes(scenario)) ?? plans[0];
  if (!plan) throw new Error('seed 000 has no plan for the scenario');
  const sys = new ScenarioSystem(plan.post, scenario, plan.era, 'sc');
  const own = (sys as unknown as { keys: Keyer }).keys;
  const states: Recorded[] = [];
  const key = own.key.bind(own);
  const index = new Map<readonly unknown[], number>();
  own.key = (s, extra, from) => {
    states.push([s, extra, from === undefined ? -1 : index.get(from) ?? -1]);
    const k = key(s, extra, from);
    if (own.parts) index.set(own.parts, states.length - 1);
    return k;
  };
  searchScenario(sys);
  const base = classes(keyAll(new BaseKeys(), states));
  const tree = classes(keyAll(new TreeKeys(), states));
  let differ = 0;
  for (let i = 0; i < states.length; i++) if (base[i] !== tree[i]) differ++;
  console.log(`invalidate-faults-${shape}: ${states.length} states keyed, ${new Set(base).size} distinct; states classed differently by the two: ${differ}`);
  if (differ) process.exitCode = 1;
  const impls: [string, new () => Keyer][] = [['base', BaseKeys], ['tree', TreeKeys]];
  const ms: Record<string, number[]> = { base: [], tree: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, K] of r % 2 ? [...impls].reverse() : impls) {
      const t0 = process.cpuUsage();
      keyAll(new K(), states);
      const t = process.cpuUsage(t0);
      ms[name].push((t.user + t.system) / 1000);
    }
  }
  reportRounds(ms, 'keying the recorded states');
}

void main();
