// `node --import tsx bench/search-ab.ts REV [TARGET]`: whole searches of the working tree against
// the same searches at git revision REV, in one process (bench/search-ab-run.ts says how), for
// changes anywhere in the search (keys, DPOR, the model) too small to show in whole `kpr` runs on
// a loaded machine. TARGET is an invalidate-vs-faults shape of bench/scenarios on seed 000's post
// side (`1x2`, the default; `2x2`...) or a seed's number (`002`: every applicable built-in
// scenario, pre and post, as `kpr check` searches them). ROUNDS (10) rounds; AB_NODE_FLAGS are
// node's flags for the measured process. The first round checks that both find the same states
// and rules in every search: a change meant to be faster only must leave them alike.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedsDir } from '../test/support/seeds';
import { runAb } from './ab-build';

const rev = process.argv[2];
const target = process.argv[3] ?? '1x2';

async function main(): Promise<number> {
  if (!rev) { console.error('usage: node --import tsx bench/search-ab.ts REV [1x2|2x2|...|000|001|...]'); return 2; }
  const seed = readdirSync(seedsDir).find((n) => n.startsWith(/^\d+x\d+$/.test(target) ? '000_' : `${target}_`));
  if (!seed) { console.error(`no seed for ${target} in ${seedsDir}`); return 2; }
  const seedPath = join(seedsDir, seed);
  return runAb({
    rev, entry: 'search-ab-run.ts', filter: /search-ab-side$/,
    route: { 'search-ab-base.ts': { copy: 'rev', path: 'bench/search-ab-side.ts' }, 'search-ab-tree.ts': { copy: 'tree', path: 'bench/search-ab-side.ts' } },
    shared: ['bench/search-ab-side.ts'],
  }, { SEARCH_AB_SEED: seedPath, SEARCH_AB_TARGET: /^\d+x\d+$/.test(target) ? target : seedPath });
}

void main().then((code) => { process.exitCode = code; });
