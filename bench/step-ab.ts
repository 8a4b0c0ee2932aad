// `node --import tsx bench/step-ab.ts REV`: the model's step (Interpreter.step) of the working
// tree against the same step at git revision REV, in one process, over the same recorded steps
// (bench/step-ab-run.ts says how). For changes to the interpreter and the model too small to
// show in whole `kpr` runs on a loaded machine: the two alternate within each round, and each
// round's ratio is taken, so the load of the moment cancels out. Both are bundled as the CLI is
// (bench/ab-build.ts). SHAPE=2x2 picks the shape (default 1x2), N the steps recorded (40000),
// ROUNDS (16); AB_NODE_FLAGS are node's flags for the measured process
// (`--cpu-prof --cpu-prof-dir=D`). For whole searches, bench/search-ab.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedsDir } from '../test/support/seeds';
import { runAb } from './ab-build';

const rev = process.argv[2];

async function main(): Promise<number> {
  if (!rev) { console.error('usage: node --import tsx bench/step-ab.ts REV  (a git revision to compare the working tree with)'); return 2; }
  const seed = readdirSync(seedsDir).find((n) => n.startsWith('000_'));
  if (!seed) { console.error(`no seed 000 in ${seedsDir}`); return 2; }
  return runAb({
    rev, entry: 'step-ab-run.ts', filter: /model\/interpreter$/,
    route: { 'step-ab-base.ts': { copy: 'rev', path: 'server/src/model/interpreter.ts' }, 'step-ab-tree.ts': { copy: 'tree', path: 'server/src/model/interpreter.ts' } },
  }, { STEP_AB_SEED: join(seedsDir, seed) });
}

void main().then((code) => { process.exitCode = code; });
