// `npm run bench`, placement (DESIGN section 4, issue 11): how the hunks of the real-shaped corpus
// (test/fixtures/real) find their place in the model library, and what placement costs per seed.
// Measured, never asserted: test/corpus/real.test.ts holds the expected placement of each hunk.
//
// Placement runs inside function extraction (pieces, era choice and placement together), so the
// time printed per seed is extractFunctions' whole time: an upper bound on placement's share.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initEngine } from '../test/support/engine';
import { extractFunctions } from '../server/src/functions/extract';
import { hunkOwners, placementCounts, placementKind, type HunkOwner, type PlacementKind } from '../server/src/functions/hunk-owners';
import { parseDocument } from '../server/src/intake/parse';
import { seedsDir } from '../test/support/seeds';

const root = join(__dirname, '..');
const corpusDir = join(root, 'test', 'fixtures', 'real');
const RUNS = 20;

function show(owners: readonly HunkOwner[]): string {
  if (owners.length === 0) return 'no hunks';
  return `${owners.length} hunk${owners.length === 1 ? '' : 's'}: ${placementCounts(owners)}`;
}

function owners(text: string, name: string): HunkOwner[] {
  const doc = parseDocument(text, name);
  return hunkOwners(doc, extractFunctions(doc).functions).flat();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  await initEngine();
  const files = readdirSync(corpusDir).filter((n) => /\.(patch|mbox)$/.test(n)).sort();
  for (const [label, twins] of [['real-shaped patches', false], ['library twins (control: every hunk should be placed)', true]] as const) {
    const all: HunkOwner[] = [];
    const chosen = files.filter((n) => n.includes('.lib.') === twins);
    console.log(`placement over the ${chosen.length} ${label}:`);
    for (const name of chosen) {
      const o = owners(readFileSync(join(corpusDir, name), 'utf8'), name);
      all.push(...o);
      console.log(`  ${name}: ${show(o)}`);
    }
    // Hunks that needed a library body: placed, not placed, or with no body to place them into.
    const n = (...kinds: PlacementKind[]) => all.filter((o) => kinds.includes(placementKind(o))).length;
    const placed = n('exact', 'aligned');
    const needed = n('exact', 'aligned', 'not-placed', 'fragment');
    const rate = needed === 0 ? '-' : `${((100 * placed) / needed).toFixed(0)}%`;
    console.log(`  total: ${show(all)}; placed ${placed} of the ${needed} that needed a library body (${rate})`);
  }
  console.log('function extraction with placement per seed (median of %d runs, ms):', RUNS);
  for (const name of readdirSync(seedsDir).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(join(seedsDir, name), 'utf8');
    const doc = parseDocument(text, name);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      extractFunctions(doc);
      times.push(performance.now() - t);
    }
    console.log(`  ${name}: ${median(times).toFixed(2)}  (${show(owners(text, name))})`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
