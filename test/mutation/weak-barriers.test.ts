// The weak-memory mode (DESIGN section 13) on the 2005 barriers around truncate_count. A fault
// samples truncate_count, then (after smp_rmb) reads i_size in ->nopage; truncate writes i_size,
// then bumps truncate_count. Under weak, nothing orders the two stores of 2.6.10's
// unmap_mapping_range: the fault can see the new count with the old size and map a page that
// truncate drops (stray-page, and mapped-uptodate when truncate clears the page). The fixture adds
// the writer's smp_wmb()/smp_mb(): fixed under weak, nothing under sc. Its mutation also drops the
// reader's smp_rmb(): the loads may then be performed out of order and the race stays. Seed 003's
// 2003 fix (a counter without barriers) is not a fix under weak. Only truncate-vs-fault runs.
// Under sc the model says, on the first barrier each function adds (or else removes), that it
// assumes sequential consistency there (an `unmodeled` note, issue 11.7). The expected findings are the whole set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedPath, seedsSkip } from '../support/seeds';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { MemoryModel } from '../../server/src/model/weak';
import { builtinScenario } from '../../server/src/scenarios/catalog';

const dir = join(__dirname, '..', 'fixtures', 'weak');
const scenario = builtinScenario('truncate-vs-fault')!;

const CASES: { file: string; memoryModel: MemoryModel; findings: string[] }[] = [
  { file: join(dir, 'truncate-count-barriers.patch'), memoryModel: 'sc', findings: ['unmodeled introduced'] },
  { file: join(dir, 'truncate-count-barriers.patch'), memoryModel: 'weak', findings: ['mapped-uptodate fixed', 'stray-page fixed'] },
  // Two notes: the added smp_wmb() in unmap_mapping_range, the removed smp_rmb() in do_no_page.
  { file: join(dir, 'truncate-count-barriers-no-rmb.patch'), memoryModel: 'sc', findings: ['unmodeled fixed', 'unmodeled introduced'] },
  { file: join(dir, 'truncate-count-barriers-no-rmb.patch'), memoryModel: 'weak', findings: ['mapped-uptodate remaining', 'stray-page remaining'] },
  ...(seedsSkip() ? [] : [
    { file: seedPath('003'), memoryModel: 'sc' as const, findings: ['mapped-uptodate fixed', 'stray-page fixed'] },
    { file: seedPath('003'), memoryModel: 'weak' as const, findings: ['mapped-uptodate narrowed', 'stray-page narrowed'] },
  ]),
];

for (const c of CASES) {
  const name = c.file.split('/').pop();
  test(`${name} under ${c.memoryModel}: ${c.findings.join(', ') || 'nothing'} in truncate-vs-fault`, async () => {
    await initEngine();
    const a = analyze(readFileSync(c.file, 'utf8'), c.file, { memoryModel: c.memoryModel, staticRules: false });
    const r = runModelTier(a, { scenarios: [scenario] });
    assert.equal(r.complete, true, 'the search ran to the end of its bounds');
    assert.deepEqual(r.findings.map((f) => `${f.rule} ${f.status}`).sort(), c.findings);
    for (const f of r.findings) {
      if (f.rule === 'unmodeled') { assert.match(f.message, /^Assumes sequential consistency \(--memory-model sc\): every thread's accesses run in program order, so smp_[rw]?mb\(\)/); continue; }
      assert.ok(f.trace?.some((s) => s.thread === 'truncate') && f.trace.some((s) => s.thread === 'fault'), `${f.rule}: the witness runs both threads`);
    }
  });
}
