// Where model findings sit (DESIGN section 8): on the patch's C code nearest to the witness's
// break, never on another file, a comment, or text that is not C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { firstChangedLine, witnessAnchor } from '../../server/src/verdict/anchor';
import { planMessages } from '../../server/src/verdict/plan';
import type { RunStep } from '../../server/src/verdict/scenario-run';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'corpus', name), 'utf8');
const at = (line: number) => ({ start: { line: line - 1, character: 1 }, end: { line: line - 1, character: 9 } });
const step = (fn: string, line?: number, effect = ''): RunStep => ({
  thread: 't', function: fn, source: line === undefined ? 'model' : 'patch', code: '', effect, pages: [],
  ...(line === undefined ? { modelFile: '2.6.10/filemap.c', modelLine: 3 } : { range: at(line) }),
});

test('Documentation/, Kconfig and Makefile hunks are not C: no function, no finding of any tier on their lines', async () => {
  await initEngine();
  const a = analyze(fixture('docs-and-code.patch'), 'docs.patch');
  assert.deepEqual(a.functions.map((f) => `${f.file}:${f.name}`), ['mm/truncate.c:invalidate_inode_pages2']);
  const r = runModelTier(a);
  const c = a.document.files.find((f) => f.newPath === 'mm/truncate.c')!;
  const all = [...a.findings, ...r.findings];
  assert.ok(r.findings.length > 0, 'the model judged the C hunk');
  for (const f of all) {
    assert.equal(f.file, 'mm/truncate.c', `${f.rule} ${f.message}`);
    assert.ok(f.range.start.line > c.range.start.line && f.range.start.line <= c.range.end.line, `${f.rule} on line ${f.range.start.line + 1}`);
    assert.notEqual(f.range.start.line + 1, 39, 'never on the added comment');
  }
});

test('anchor: the changed code line nearest before the break (one that changed the state first), else patch context, else the changed function the witness ran; never a comment', async () => {
  await initEngine();
  const a = analyze(fixture('docs-and-code.patch'), 'docs.patch');
  const [plan] = planMessages(a.document, a.functions);
  const anchor = (steps: RunStep[]) => witnessAnchor(a.document, plan.functions, plan.post, 'post', steps, steps.length - 1).start.line + 1;
  const fn = 'invalidate_inode_pages2';
  // The first changed code line is the unmap call, not the comment above it.
  assert.equal(firstChangedLine(a.document, plan.functions, plan.post, 'post').start.line + 1, 40);
  // 40 changed code with an effect; 36 context; model code after it.
  assert.equal(anchor([step(fn, 36, 'page 0: locked'), step(fn, 40, 'page 0: unmapped'), step(fn, 41), step('zap_pte_range')]), 40);
  // A changed line without an effect still beats context.
  assert.equal(anchor([step(fn, 40), step(fn, 41, 'page 0: clean')]), 40);
  // Only context ran: the context line nearest before the break.
  assert.equal(anchor([step(fn, 36, 'x'), step(fn, 37), step('filemap_nopage')]), 37);
  // Only library lines ran, some of them under the changed function's name: its first changed code line.
  assert.equal(anchor([step('filemap_nopage'), step(fn)]), 40);
  // The witness never ran a changed function: the side's first changed code line.
  assert.equal(anchor([step('filemap_nopage')]), 40);
});
