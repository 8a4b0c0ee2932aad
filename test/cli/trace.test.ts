// Trace steps on spliced bodies: seed 003's hunks hold only parts of invalidate_mmap_range and
// do_no_page, so their bodies are the 2.5.70 library's with the hunks spliced in. A patch in,
// the trace out: every step of a scenario thread shows its code and where that code is, the
// patch's lines by document line and the library's lines by library file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKpr, repoRoot } from './kpr';
import { seedPath as seedFile, seedsSkip } from '../support/seeds';
import type { Side } from '../../server/src/findings';

const seedPath = seedFile('003');
const libraryRoot = join(repoRoot, 'server', 'src', 'model', 'library');

interface Step { thread: string; function: string; source: 'patch' | 'model'; range?: { start: { line: number } }; modelFile?: string; modelLine?: number; code: string }

/** `kpr run truncate-vs-fault` on seed 003, per side: the rows of the spliced functions' steps. */
const expected: Record<Side, string[]> = {
  pre: [
    'do_no_page | line 91 | spin_unlock(&mm->page_table_lock)',
    'invalidate_mmap_range | line 72 | down(&mapping->i_shared_sem)',
    'invalidate_mmap_range | line 75 | list_empty(&mapping->i_mmap)',
    'invalidate_mmap_range | line 77 | list_empty(&mapping->i_mmap_shared)',
    'invalidate_mmap_range | 2.5.70/memory.c:114 | invalidate_mmap_range_list(&mapping->i_mmap_shared, hba, hlen)',
    'invalidate_mmap_range | 2.5.70/memory.c:115 | up(&mapping->i_shared_sem)',
    'do_no_page | line 102 | spin_lock(&mm->page_table_lock)',
    'do_no_page | 2.5.70/memory.c:179 | pte_none(*page_table)',
    'do_no_page | 2.5.70/memory.c:183 | set_pte(page_table, entry)',
    'do_no_page | 2.5.70/memory.c:196 | spin_unlock(&mm->page_table_lock)',
  ],
  post: [
    'do_no_page | line 91 | spin_unlock(&mm->page_table_lock)',
    'do_no_page | line 95 | atomic_read(&mapping->truncate_count)',
    'invalidate_mmap_range | line 72 | down(&mapping->i_shared_sem)',
    'invalidate_mmap_range | line 74 | atomic_inc(&mapping->truncate_count)',
    'invalidate_mmap_range | line 75 | list_empty(&mapping->i_mmap)',
    'invalidate_mmap_range | line 77 | list_empty(&mapping->i_mmap_shared)',
    'invalidate_mmap_range | 2.5.70/memory.c:114 | invalidate_mmap_range_list(&mapping->i_mmap_shared, hba, hlen)',
    'invalidate_mmap_range | 2.5.70/memory.c:115 | up(&mapping->i_shared_sem)',
    'do_no_page | line 102 | spin_lock(&mm->page_table_lock)',
    'do_no_page | line 108 | atomic_read(&mapping->truncate_count)',
    'do_no_page | line 109 | spin_unlock(&mm->page_table_lock)',
    'do_no_page | line 110 | page_cache_release(new_page)',
    'do_no_page | line 95 | atomic_read(&mapping->truncate_count)',
  ],
};

function where(s: Step): string {
  return s.range ? `line ${s.range.start.line + 1}` : `${s.modelFile}:${(s.modelLine ?? -1) + 1}`;
}

/** Every step of a scenario thread has code, found on the line the step says it is on. */
function assertPlaced(steps: readonly Step[], threads: readonly string[], docLines: readonly string[]): void {
  for (const [i, s] of steps.entries()) {
    if (!threads.includes(s.thread)) continue; // I/O completions run no C line
    const label = `step ${i + 1} ${s.thread} ${s.function}() at ${where(s)}`;
    assert.notEqual(s.code, '', `${label} shows no code`);
    const line = s.range
      ? docLines[s.range.start.line]
      : s.modelFile !== undefined ? readFileSync(join(libraryRoot, s.modelFile), 'utf8').split('\n')[s.modelLine ?? -1] : undefined;
    assert.ok(line?.includes(s.code), `${label}: "${s.code}" is not on that line ("${line}")`);
  }
}

for (const side of ['pre', 'post'] as const) {
  test(`seed 003 truncate-vs-fault (${side}): steps on the library lines of spliced bodies show their code`, { skip: seedsSkip() }, () => {
    const r = runKpr(['run', 'truncate-vs-fault', '--patch', seedPath, '--side', side, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    type Side = { steps: Step[]; states: number; exhaustive: boolean; bound: number | null };
    const run = JSON.parse(r.stdout) as { threads: string[]; pre?: Side; post?: Side; states: number; exhaustive: boolean; bound: number | null };
    // What the search covered, at top level: with one side, that side's.
    const s1 = run[side]!;
    assert.deepEqual([run.states, run.exhaustive, run.bound], [s1.states, s1.exhaustive, s1.exhaustive ? null : s1.bound]);
    assert.ok(s1.exhaustive || typeof s1.bound === 'number', 'a search that is not exhaustive names its bound');
    const steps = run[side]!.steps;
    const spliced = steps.filter((s) => s.function === 'invalidate_mmap_range' || s.function === 'do_no_page');
    assert.deepEqual(spliced.map((s) => `${s.function} | ${where(s)} | ${s.code}`), expected[side]);
    // A library line of a patched function is model code: the document does not hold it.
    for (const s of spliced) assert.equal(s.source, s.range ? 'patch' : 'model');
    assertPlaced(steps, run.threads, readFileSync(seedPath, 'utf8').split('\n'));
  });
}

test('seed 003 kpr check --format json: the traces of its findings show code on every step', { skip: seedsSkip() }, () => {
  const r = runKpr(['check', '--format', 'json', seedPath]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout) as { documents: { findings: { scenario?: string; trace?: { thread: string; function: string; line: number; source: 'patch' | 'model'; modelFile?: string; code: string }[] }[] }[] };
  const traced = report.documents[0]!.findings.filter((f) => f.trace?.length);
  assert.ok(traced.length > 0, 'seed 003 has model findings with traces');
  for (const f of traced) {
    // The JSON contract's 1-based lines, turned back into the run's shape.
    const steps: Step[] = f.trace!.map((t) => t.source === 'model'
      ? { ...t, modelLine: t.line - 1 }
      : { ...t, range: { start: { line: t.line - 1 } } });
    // Every thread but the model's I/O completions (io1, wb1, bio1...), which run no C line.
    const threads = [...new Set(steps.map((s) => s.thread))].filter((t) => !/^(io|wb|bio)\d+$/.test(t));
    assertPlaced(steps, threads, readFileSync(seedPath, 'utf8').split('\n'));
  }
});
