// Both get the same verdicts (issue 11): every real-shaped patch of test/fixtures/real and its
// twin written against the library's text are run through the model, scenario by scenario, and
// give the same findings (rule, status, cause, function, preemptions on each side) on every
// scenario both judge. A scenario the real patch leaves unjudged (its hunk was not placed) must be
// one the twin judges, and one that reaches the unplaced function; nothing else may differ.
//
// Cost: only the scenarios the pair reaches run (each document's plans), one job per document
// and scenario (handed the document's analysis, made here), spread over two worker threads (the engine's worker from source, so a stale
// bundle is never what is tested). The pairs differ in their text, never in the code placed, so
// any difference here is placement or anchoring, not the model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis, type Counted } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { WorkerPool } from '../../server/src/explore/worker-pool';
import type { Finding } from '../../server/src/findings';
import { MODEL_TIER_TASK, tierInput, type TierParams } from '../../server/src/worker/model-tasks';
import type { ModelTierResult } from '../../server/src/verdict/tier';
import { planMessages } from '../../server/src/verdict/plan';

const dir = join(__dirname, '..', 'fixtures', 'real');
const workerFile = join(__dirname, '..', 'cli', 'verdict-worker.mjs');

/** [real, twin] for every twin in the corpus. */
const PAIRS: [string, string][] = readdirSync(dir).filter((n) => /\.lib\.(patch|mbox)$/.test(n)).sort().map((twin) => [twin.replace('.lib.', '.'), twin]);

/** What a document's plans run and leave unjudged, by scenario id. */
function plans(name: string): { analysis: Analysis; judged: string[]; unjudged: Map<string, string> } {
  const a = analyze(readFileSync(join(dir, name), 'utf8'), name);
  const judged = new Set<string>();
  const unjudged = new Map<string, string>();
  for (const p of planMessages(a.document, a.functions)) {
    for (const s of p.scenarios) judged.add(s.id);
    for (const u of p.unjudged) if (!unjudged.has(u.scenario.id)) unjudged.set(u.scenario.id, u.fn.name);
  }
  return { analysis: a, judged: [...judged], unjudged };
}

/** A finding as the verdict sees it, without the document's lines (the pair's texts differ). */
const shape = (f: Finding) =>
  `${f.rule}:${f.status}${f.reason ? `:${f.reason}` : ''} ${f.function ?? '-'} pre=${f.preemptions?.pre ?? '-'} post=${f.preemptions?.post ?? '-'}${f.complete === false ? ' incomplete' : ''}`;

let pool: WorkerPool;
before(async () => {
  await initEngine();
  pool = new WorkerPool({ workerFile, size: 2, graceMs: 5000 });
});
after(() => pool.close());

/** One scenario of a document's model tier on a worker, given the document's analysis (as the language server does). */
async function runOne(analysis: Analysis, scenario: string): Promise<ModelTierResult> {
  const params: TierParams = { analysis: tierInput(analysis), scenarioIds: [scenario] };
  return (await pool.run<Counted<ModelTierResult>>({ kind: MODEL_TIER_TASK, params, strategy: 'bounded', options: {} }).result).value;
}

test('the corpus has twins to compare', () => {
  assert.ok(PAIRS.length >= 8, PAIRS.map((p) => p[1]).join(', '));
});

for (const [real, twin] of PAIRS) {
  test(`${real} and its twin: the same findings on every scenario both judge`, async () => {
    const r = plans(real);
    const t = plans(twin);
    assert.ok(t.judged.length > 0, 'the twin is judged on some scenario');
    assert.deepEqual(t.unjudged.size, 0, 'the twin is placed exactly');
    // The same scenarios apply; those the real patch cannot judge reach its unplaced function.
    assert.deepEqual([...r.judged, ...r.unjudged.keys()].sort(), [...t.judged].sort());
    const both = r.judged.filter((id) => t.judged.includes(id));
    const results = await Promise.all(both.flatMap((id) => [runOne(r.analysis, id), runOne(t.analysis, id)]));
    for (const [i, id] of both.entries()) {
      const [mine, theirs] = [results[2 * i]!, results[2 * i + 1]!];
      assert.deepEqual(mine.runs.map((x) => `${x.id} ${x.judged}`), theirs.runs.map((x) => `${x.id} ${x.judged}`), id);
      assert.deepEqual(mine.findings.map(shape).sort(), theirs.findings.map(shape).sort(), `${id}: the real patch and its twin differ`);
    }
  });
}
