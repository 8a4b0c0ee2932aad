// The program bench/search-ab.ts bundles and runs: the same searches (search-ab-side.ts) from the
// working tree's copy and the revision's, ROUNDS times, taking turns (which goes first alternates),
// timed by the process's CPU time and paired per round so that the load of the moment cancels out.
// The first round checks that both found the same states and rules in every search.
import { setFlagsFromString } from 'node:v8';
import { INLINED_BYTECODE_CUMULATIVE } from '../server/src/inlining-budget';
import { prepare as prepareBase } from './search-ab-base';
import { prepare as prepareTree } from './search-ab-tree';
import { reportRounds } from './ab-report';


async function main(): Promise<void> {
  // The CLI's inlining budget, so that V8 compiles the search as it does in `kpr`.
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_CUMULATIVE}`);
  const root = process.env.KPR_ROOT!;
  const target = process.env.SEARCH_AB_TARGET!;
  const rounds = Number(process.env.ROUNDS ?? 10);
  const sides = [['base', await prepareBase(root, process.env.SEARCH_AB_SEED!, target)], ['tree', await prepareTree(root, process.env.SEARCH_AB_SEED!, target)]] as const;
  const ms: Record<string, number[]> = { base: [], tree: [] };
  for (let r = 0; r < rounds; r++) {
    const found: Record<string, string[]> = {};
    for (const [name, run] of r % 2 ? [...sides].reverse() : sides) {
      const t0 = process.cpuUsage();
      found[name] = run();
      const t = process.cpuUsage(t0);
      ms[name].push((t.user + t.system) / 1000);
    }
    if (r === 0) {
      const differ = found.base.map((x, i) => [x, found.tree[i]]).filter(([x, y]) => x !== y);
      console.log(`${target}: ${found.tree.length} searches, ${found.tree.reduce((n, x) => n + Number(x.split(' ')[1]), 0)} states; searches that differ: ${differ.length}`);
      for (const [x, y] of differ) console.log(`  base ${x}\n  tree ${y}`);
    }
  }
  reportRounds(ms);
}

void main();
