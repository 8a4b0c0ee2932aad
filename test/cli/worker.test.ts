// The engine's worker (server/src/worker/worker.ts) takes a `scenario-run` task as its very
// first work: a task in (seed 003's analysis, a scenario), both sides' searches out. The task lowers
// C, so the worker must have loaded the C parser before it runs it; it used to answer
// "parseC() called before initEngine() completed".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerPool } from '../../server/src/explore/worker-pool';
import type { ScenarioRun } from '../../server/src/verdict/scenario-run';
import { SCENARIO_RUN_TASK, tierInput, type ScenarioRunParams } from '../../server/src/worker/model-tasks';
import { analyze, type Counted } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { repoRoot } from './kpr';
import { seedPath as seedFile, seedsSkip } from '../support/seeds';

const seedPath = seedFile('003');

/** The worker from its source (under tsx) and as built (server/dist/worker.js). */
const workers: [string, string][] = [
  ['source', join(__dirname, 'verdict-worker.mjs')],
  ['bundle', join(repoRoot, 'server', 'dist', 'worker.js')],
];

/**
 * Seed 003 under truncate-vs-fault: before the patch the fault maps the truncated page (no
 * longer in the file, and no longer uptodate); after it, the fault retries.
 */
const expected = { pre: ['mapped-uptodate', 'stray-page'], post: [] as string[] };

for (const [what, workerFile] of workers) {
  test(`scenario-run tasks sent to fresh workers (${what}) search both sides`, { skip: seedsSkip() }, async () => {
    if (!existsSync(workerFile)) throw new Error(`${workerFile} is missing: run "node scripts/build.mjs" first`);
    // Two workers, two tasks: each is the first work of its worker, sent as the worker starts.
    const pool = new WorkerPool({ workerFile, size: 2 });
    try {
      await initEngine();
      const params: ScenarioRunParams = { analysis: tierInput(analyze(readFileSync(seedPath, 'utf8'), seedPath)), scenario: 'truncate-vs-fault' };
      const runs = await Promise.all([0, 1].map(() => pool.run<Counted<ScenarioRun>>({ kind: SCENARIO_RUN_TASK, params, strategy: 'bounded' }).result));
      for (const { value: run, analyses } of runs) {
        assert.equal(analyses, 0, 'the task runs the analysis it is handed, it does not make one');
        const got = { pre: [...(run.pre?.broken ?? [])].sort(), post: [...(run.post?.broken ?? [])].sort() };
        assert.deepEqual(got, expected);
        assert.equal(run.pre?.complete, true);
        assert.equal(run.post?.complete, true);
      }
    } finally {
      await pool.close();
    }
  });
}
