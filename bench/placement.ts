// `npm run bench`, placement (DESIGN section 4, issue 11): how the hunks of the real-shaped corpus
// (test/fixtures/real) find their place in the model library, and what placement costs per seed.
// Measured, never asserted: test/corpus/real.test.ts holds the expected placement of each hunk.
//
// Placement runs inside function extraction (pieces, era choice and placement together), so the
// time printed per seed is extractFunctions' whole time: an upper bound on placement's share.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initParser } from '../server/src/c/parser';
import { extractFunctions } from '../server/src/functions/extract';
import { hunkOwners } from '../server/src/functions/hunks';
import { parseDocument } from '../server/src/intake/parse';

const root = join(__dirname, '..');
const corpusDir = join(root, 'test', 'fixtures', 'real');
const seedsDir = process.env.KPR_SEEDS ?? join(root, '..', 'shared', 'seeds');
const RUNS = 20;

/**
 * Placement words in the order they are printed; `comment` is a hunk that changes only the comment
 * above a function (nothing of it runs), `none` a hunk outside every function (a declaration).
 */
const KINDS = ['exact', 'aligned', 'not-placed', 'whole', 'fragment', 'comment', 'none'] as const;
const WORDS: Record<Kind, string> = { exact: 'exact', aligned: 'aligned', 'not-placed': 'not placed', whole: 'whole', fragment: 'fragment', comment: 'comment only', none: 'outside functions' };
type Kind = (typeof KINDS)[number];
type Counts = Record<Kind, number>;

function count(text: string, name: string): Counts {
  const doc = parseDocument(text, name);
  const { functions } = extractFunctions(doc);
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Counts;
  for (const o of hunkOwners(doc, functions).flat()) counts[o.placement?.placement ?? (o.function !== undefined ? 'comment' : 'none')]++;
  return counts;
}

function show(c: Counts): string {
  const total = KINDS.reduce((n, k) => n + c[k], 0);
  if (total === 0) return 'no hunks';
  return `${total} hunk${total === 1 ? '' : 's'}: ${KINDS.filter((k) => c[k] > 0).map((k) => `${c[k]} ${WORDS[k]}`).join(', ')}`;
}

function add(into: Counts, c: Counts): void {
  for (const k of KINDS) into[k] += c[k];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  await initParser();
  const files = readdirSync(corpusDir).filter((n) => /\.(patch|mbox)$/.test(n)).sort();
  for (const [label, twins] of [['real-shaped patches', false], ['library twins (control: every hunk should be placed)', true]] as const) {
    const total = Object.fromEntries(KINDS.map((k) => [k, 0])) as Counts;
    const chosen = files.filter((n) => n.includes('.lib.') === twins);
    console.log(`placement over the ${chosen.length} ${label}:`);
    for (const name of chosen) {
      const c = count(readFileSync(join(corpusDir, name), 'utf8'), name);
      add(total, c);
      console.log(`  ${name}: ${show(c)}`);
    }
    // Hunks that needed a library body: placed, not placed, or with no body to place them into.
    const changed = total.exact + total.aligned + total['not-placed'] + total.fragment;
    const rate = changed === 0 ? '-' : `${((100 * (total.exact + total.aligned)) / changed).toFixed(0)}%`;
    console.log(`  total: ${show(total)}; placed ${total.exact + total.aligned} of the ${changed} that needed a library body (${rate})`);
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
    console.log(`  ${name}: ${median(times).toFixed(2)}  (${show(count(text, name))})`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
