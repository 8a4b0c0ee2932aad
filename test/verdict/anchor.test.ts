// Where model findings sit (DESIGN section 8): on the patch's C code nearest to the witness's
// break, never on another file, a comment, or text that is not C. The whole findings of a
// document with Documentation/, Kconfig and Makefile hunks are the case docs-and-code of
// test/fixtures/verdict; here witnessAnchor is given hand-made witnesses on that document.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { firstChangedLine, witnessAnchor } from '../../server/src/verdict/anchor';
import { planMessages, type MessagePlan } from '../../server/src/verdict/plan';
import type { RunStep } from '../../server/src/verdict/scenario-run';

const at = (line: number) => ({ start: { line: line - 1, character: 1 }, end: { line: line - 1, character: 9 } });
const step = (fn: string, line?: number, effect = ''): RunStep => ({
  thread: 't', function: fn, source: line === undefined ? 'model' : 'patch', code: '', effect, pages: [],
  ...(line === undefined ? { modelFile: '2.6.10/filemap.c', modelLine: 3 } : { range: at(line) }),
});
const FN = 'invalidate_inode_pages2';

// In docs-and-code.patch line 40 is the changed unmap call under an added comment (39), 36 and
// 37 are context. [what, the witness's steps (its last breaks), the 1-based line it sits on]
const ANCHORS: [string, RunStep[], number][] = [
  ['changed code with an effect beats context before it and model code after it',
    [step(FN, 36, 'page 0: locked'), step(FN, 40, 'page 0: unmapped'), step(FN, 41), step('zap_pte_range')], 40],
  ['a changed line without an effect still beats context', [step(FN, 40), step(FN, 41, 'page 0: clean')], 40],
  ['only context ran: the context line nearest before the break', [step(FN, 36, 'x'), step(FN, 37), step('filemap_nopage')], 37],
  ['only library lines ran, some under the changed function\'s name: its first changed code line', [step('filemap_nopage'), step(FN)], 40],
  ['the witness never ran a changed function: the side\'s first changed code line', [step('filemap_nopage')], 40],
];

let a: ReturnType<typeof analyze>;
let plan: MessagePlan;
before(async () => {
  await initEngine();
  a = analyze(readFileSync(join(__dirname, '..', 'fixtures', 'verdict', 'docs-and-code.patch'), 'utf8'), 'docs.patch');
  [plan] = planMessages(a.document, a.functions) as [MessagePlan];
});

test('anchor: the first changed code line is the unmap call, not the comment above it', () => {
  assert.equal(firstChangedLine(a.document, plan.functions, plan.post, 'post').start.line + 1, 40);
});

for (const [what, steps, line] of ANCHORS) {
  test(`anchor: ${what}`, () => {
    assert.equal(witnessAnchor(a.document, plan.functions, plan.post, 'post', steps, steps.length - 1).start.line + 1, line);
  });
}
