// The engine's worker (server/src/verdict/worker.ts) takes `scenario` search jobs as its very
// first work: a job in (seed 003's text, a side, a scenario), the search's verdict out. The
// job's system lowers C as it is built, so the worker must have loaded the C parser before it
// takes the job; it used to answer "parseC() called before initParser() completed".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerPool } from '../../server/src/explore/worker-pool';
import { repoRoot, seedsDir } from './kpr';

const seed = readdirSync(seedsDir).find((n) => n.startsWith('003_'));
const seedPath = join(seedsDir, seed ?? '003 missing');

/** The worker from its source (under tsx) and as built (server/dist/worker.js). */
const workers: [string, string][] = [
  ['source', join(__dirname, 'verdict-worker.mjs')],
  ['bundle', join(repoRoot, 'server', 'dist', 'worker.js')],
];

/**
 * Seed 003 under truncate-vs-fault: before the patch the fault maps the truncated page (no
 * longer in the file, and no longer uptodate); after it, the fault retries.
 */
const jobs: { side: 'pre' | 'post'; rules: string[] }[] = [
  { side: 'pre', rules: ['mapped-uptodate', 'stray-page'] },
  { side: 'post', rules: [] },
];

for (const [what, workerFile] of workers) {
  test(`scenario jobs sent to a fresh worker (${what}) are searched, pre and post`, async () => {
    if (!existsSync(workerFile)) throw new Error(`${workerFile} is missing: run "node scripts/build.mjs" first`);
    // Two workers: each side's job is the first job of its worker, sent as the worker starts.
    const pool = new WorkerPool({ workerFile, size: 2 });
    try {
      const text = readFileSync(seedPath, 'utf8');
      const results = await Promise.all(jobs.map(({ side }) => pool.run({
        kind: 'scenario',
        params: { text, path: seedPath, side, scenario: 'truncate-vs-fault' },
        strategy: 'bounded',
        options: { preemptions: 1, maxStates: 200000, maxDepth: 400 },
      }).result));
      for (const [i, { side, rules }] of jobs.entries()) {
        const r = results[i]!;
        assert.equal(r.complete, true, `${side}: ${r.reason ?? ''}`);
        assert.deepEqual([...new Set(r.violations.map((v) => v.rule))].sort(), rules, side);
      }
    } finally {
      await pool.close();
    }
  });
}
