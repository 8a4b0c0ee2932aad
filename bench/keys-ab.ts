// `node --import tsx bench/keys-ab.ts REV`: state keying (StateKeys.key) of the working tree
// against the same at git revision REV, in one process, over the same recorded states
// (bench/keys-ab-run.ts says how): first a check that the two give the same equivalence of
// states, then each round times both, taking turns. Both are bundled as the CLI is
// (bench/ab-build.ts). SHAPE=2x2 picks the shape (default 1x2), ROUNDS (10); AB_NODE_FLAGS are
// node's flags for the measured process. For whole searches, bench/search-ab.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedsDir } from '../test/support/seeds';
import { runAb } from './ab-build';

const rev = process.argv[2];

async function main(): Promise<number> {
  if (!rev) { console.error('usage: node --import tsx bench/keys-ab.ts REV  (a git revision to compare the working tree with)'); return 2; }
  const seed = readdirSync(seedsDir).find((n) => n.startsWith('000_'));
  if (!seed) { console.error(`no seed 000 in ${seedsDir}`); return 2; }
  return runAb({
    rev, entry: 'keys-ab-run.ts', filter: /model\/state-key$/,
    route: { 'keys-ab-base.ts': { copy: 'rev', path: 'server/src/model/state-key.ts' }, 'keys-ab-tree.ts': { copy: 'tree', path: 'server/src/model/state-key.ts' } },
  }, { STEP_AB_SEED: join(seedsDir, seed) });
}

void main().then((code) => { process.exitCode = code; });
