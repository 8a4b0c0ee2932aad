// The ILP32 mode (DESIGN section 13) on the shift that 2005's "32bit integer overflow in
// invalidate_inode_pages2()" fixed: a page index is a 32-bit pgoff_t on i386, so
// `page_index << PAGE_CACHE_SHIFT` wraps past 4 GiB unless it is first cast to loff_t. The
// fixture drops the casts from the 2.6.20 library's invalidate_inode_pages2_range(); only the
// invalidate-past-4g scenario runs (a mapped page at index 2^20). Under ilp32 the unmap misses
// that page, `while (page_mapped(page))` never ends, and the invalidator spins; under lp64 the
// shift is exact and nothing changes but the model's note that it assumes x86-64 widths on that
// shift (issue 11.7); under ilp32 it assumes nothing there. The expected findings are the whole set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { runScenario } from '../../server/src/verdict/tier';
import type { Abi } from '../../server/src/lower/ctypes';
import { builtinScenario } from '../../server/src/scenarios/catalog';

const dir = join(__dirname, '..', 'fixtures', 'abi');
const scenario = builtinScenario('invalidate-past-4g')!;

const CASES: { file: string; abi: Abi; findings: string[] }[] = [
  { file: 'uncast-shift.patch', abi: 'lp64', findings: ['unmodeled introduced'] },
  { file: 'uncast-shift.patch', abi: 'ilp32', findings: ['livelock introduced'] },
];

for (const c of CASES) {
  test(`${c.file} under ${c.abi}: ${c.findings.join(', ')} in invalidate-past-4g`, async () => {
    await initEngine();
    const a = analyze(readFileSync(join(dir, c.file), 'utf8'), c.file, { abi: c.abi, staticRules: false });
    assert.deepEqual(a.functions.map((f) => [f.name, f.postOrigin]), [['invalidate_inode_pages2_range', 'spliced']]);
    const r = runModelTier(a, { scenarios: [scenario] });
    assert.equal(r.complete, true, 'the search ran to the end of its bounds');
    assert.deepEqual(r.findings.map((f) => `${f.rule} ${f.status}`), c.findings);
    for (const f of r.findings) {
      if (f.rule === 'unmodeled') { assert.match(f.message, /^Assumes x86-64 integer widths \(--abi lp64\): `page_index<<PAGE_CACHE_SHIFT`/); continue; }
      // The spin: the invalidator's unmap, round and round, with the page still mapped.
      assert.match(f.message, /invalidate can loop forever without progress/);
      assert.ok(f.trace?.some((s) => s.function === 'unmap_mapping_range'), 'the trace shows the unmap that misses the page');
    }
  });
}

// Run Scenario (kpr run, the editor's trace view) lowers with the analysis' ABI too: the same
// spin shows on the post side's trace under ilp32 only.
for (const c of CASES) {
  test(`runScenario of invalidate-past-4g on ${c.file} under ${c.abi}: post side breaks ${c.findings.includes('livelock introduced') ? 'livelock' : 'nothing'}`, async () => {
    await initEngine();
    const a = analyze(readFileSync(join(dir, c.file), 'utf8'), c.file, { abi: c.abi, staticRules: false });
    const run = runScenario(a, 'invalidate-past-4g');
    assert.deepEqual(run.pre?.violations.map((v) => v.rule), []);
    assert.deepEqual(run.post?.violations.map((v) => v.rule), c.findings.includes('livelock introduced') ? ['livelock'] : []);
  });
}

// The historical direction: November 2005's fix itself, written against the 2.6.12 layer (the
// uncast shift lived in 2.6.12-2.6.14). Its path names 2.6.14, so it lands on 2.6.12's code,
// whose `while (page_mapped(page))` loop spins when the unmap misses: under ilp32 the casts fix
// that livelock; under lp64 the shift was exact all along and nothing changes but the model's
// note that it assumes x86-64 widths there (issue 11.7).
const HISTORY: { abi: Abi; findings: string[] }[] = [
  { abi: 'lp64', findings: ['unmodeled introduced'] },
  { abi: 'ilp32', findings: ['livelock fixed'] },
];
const cast = join(__dirname, '..', 'fixtures', 'history', '2.6.13-iip2-shift-cast.patch');

for (const c of HISTORY) {
  test(`2.6.13-iip2-shift-cast.patch under ${c.abi}: ${c.findings.join(', ') || 'nothing'} in invalidate-past-4g`, async () => {
    await initEngine();
    const a = analyze(readFileSync(cast, 'utf8'), 'cast.patch', { abi: c.abi, staticRules: false });
    assert.deepEqual(a.functions.map((f) => [f.name, f.postOrigin, f.era]), [['invalidate_inode_pages2_range', 'spliced', '2.6.12']]);
    const r = runModelTier(a, { scenarios: [scenario] });
    assert.equal(r.complete, true, 'the search ran to the end of its bounds');
    assert.deepEqual(r.findings.map((f) => `${f.rule} ${f.status}`), c.findings);
    for (const f of r.findings) assert.match(f.message, f.rule === 'unmodeled' ? /^Assumes x86-64 integer widths \(--abi lp64\)/ : /invalidate can loop forever without progress/);
  });
}
