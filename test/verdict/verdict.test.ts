// The model tier's functions on inputs made here (documents in, findings out are the cases of
// test/fixtures/verdict, run by documents.test.ts): race windows on hand-made steps, and the
// statuses compareSides gives hand-made results of both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { compareSides } from '../../server/src/verdict/compare';
import type { FoundRun, SideResult } from '../../server/src/verdict/verdict';
import { planMessages } from '../../server/src/verdict/plan';
import { raceWindow } from '../../server/src/verdict/window';
import { builtinScenario } from '../../server/src/scenarios/catalog';
import type { RunStep } from '../../server/src/verdict/scenario-run';
import type { Range } from '../../server/src/intake/document';
import type { Side } from '../../server/src/findings';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'verdict', name), 'utf8');
const line = (n: number): Range => ({ start: { line: n, character: 1 }, end: { line: n, character: 10 } });
const step = (thread: string, n?: number): RunStep => ({
  thread, function: 'f', source: n === undefined ? 'model' : 'patch', code: '', effect: '', pages: [],
  ...(n === undefined ? { modelFile: '2.6.10/memory.c', modelLine: 7 } : { range: line(n) }),
});

// [what, steps, index of the breaking step, victim, expected: window from/to lines, interferer and its line; or the breaking step's line]
const WINDOWS: [string, RunStep[], number, string, { from: number; to: number; interferer: string; at?: number } | { alone: number }][] = [
  ['the victim\'s two points around the other thread\'s steps, nearest before the violation',
    [step('a', 10), step('a', 11), step('b', 30), step('b'), step('a', 12), step('a', 13), step('b', 31), step('a', 14)], 7, 'a',
    { from: 13, to: 14, interferer: 'b', at: 31 }],
  ['no interleaving before the violation: no window, the breaking step\'s own line', [step('a', 5), step('a', 6)], 1, 'a', { alone: 6 }],
  ['a model-code point of the victim stands in as its nearest patch-code step; pseudo-threads are a last resort',
    [step('a', 20), step('a'), step('io1'), step('a'), step('b', 40), step('a')], 5, 'a', { from: 20, to: 20, interferer: 'b', at: 40 }],
];

for (const [what, steps, at, victim, want] of WINDOWS) {
  test(`window: ${what}`, () => {
    const w = raceWindow(steps, at, victim, ['a', 'b'], line(0));
    assert.equal(w.victim, victim);
    const got = w.window
      ? { from: w.window.from.start.line, to: w.window.to.start.line, interferer: w.window.interferer.thread, ...(w.window.interferer.range ? { at: w.window.interferer.range.start.line } : {}) }
      : { alone: w.range.start.line };
    assert.deepEqual(got, want);
  });
}

test('statuses: post only introduced, pre only fixed, both by preemptions (narrowed, widened, remaining), no pre present; invalidate-eio matched by cause', async () => {
  await initEngine();
  const a = analyze(fixture('fault-no-recheck.patch'), 'p.patch');
  const [plan] = planMessages(a.document, a.functions);
  const sc = builtinScenario('truncate-vs-fault')!;
  const found = (rule: FoundRun['rule'], o: { reason?: FoundRun['reason']; preemptions?: number; termination?: true } = {}): FoundRun => ({
    rule, message: rule, at: 0, preemptions: o.preemptions ?? 0, ...(o.reason ? { reason: o.reason } : {}), ...(o.termination ? { termination: o.termination } : {}),
    replay: { steps: [step('fault', 30)], violations: [], raisedBy: [], final: undefined as never, finished: true, problems: [] },
  });
  const side = (s: Side, f: FoundRun[]): SideResult => ({ side: s, era: plan.era, complete: true, exhaustive: true, bound: null, states: 1, ms: 0, found: f });
  const pre = side('pre', [
    found('stray-page'), found('mapped-uptodate'), found('invalidate-eio', { reason: 'dirty' }),
    found('dirty-uptodate', { preemptions: 0 }), found('dio-coherency', { preemptions: 1 }), found('livelock', { preemptions: 1 }),
  ]);
  const post = side('post', [
    found('stray-page'), found('aio-complete-once'), found('invalidate-eio', { reason: 'buffers' }),
    found('dirty-uptodate', { preemptions: 1 }), found('dio-coherency', { preemptions: 0 }), found('livelock', { termination: true }),
  ]);
  const st = (fs: ReturnType<typeof compareSides>) =>
    fs.map((f) => `${f.rule}${f.reason ? `/${f.reason}` : ''}:${f.status}:${f.severity}${f.preemptions ? ` ${f.preemptions.pre ?? '-'}/${f.preemptions.post ?? '-'}` : ''}`).sort();
  assert.deepEqual(st(compareSides(a.document, plan, sc, pre, post)), [
    'aio-complete-once:introduced:error -/0',
    'dio-coherency:widened:error 1/0',
    'dirty-uptodate:narrowed:error 0/1',
    'invalidate-eio/buffers:introduced:warning -/0',
    'invalidate-eio/dirty:fixed:warning 0/-',
    // A thread that can never finish is not the fair-cycle livelock of pre: both are reported.
    'livelock:fixed:warning 1/-',
    'livelock:introduced:error -/0',
    'mapped-uptodate:fixed:error 0/-',
    'stray-page:remaining:error 0/0',
  ]);
  assert.deepEqual(st(compareSides(a.document, plan, sc, undefined, post)), [
    'aio-complete-once:present:error', 'dio-coherency:present:error', 'dirty-uptodate:present:error',
    'invalidate-eio/buffers:present:warning', 'livelock:present:error', 'stray-page:present:error',
  ]);
  // A post side whose search did not finish fixes nothing: the breaks of pre it did not find are
  // named in one unjudged note; what it did find is still reported.
  const cut = compareSides(a.document, plan, sc, pre, { ...post, found: [found('stray-page')], complete: false, stopped: 'states' });
  assert.deepEqual(st(cut), ['stray-page:remaining:error 0/0', 'unmodeled:unjudged:information']);
  const note = cut.find((f) => f.status === 'unjudged')!;
  assert.equal(note.complete, false);
  assert.match(note.message, /stopped at its bound \(states\).*dio-coherency, dirty-uptodate, invalidate-eio, livelock, mapped-uptodate, broken before the patch, are not judged after it/);
  // A pre side that did not finish: a break found after the patch is still introduced, and says it may be older.
  const early = compareSides(a.document, plan, sc, { ...pre, found: [], complete: false, stopped: 'time' }, side('post', [found('stray-page')]));
  assert.deepEqual(st(early), ['stray-page:introduced:error -/0', 'unmodeled:unjudged:information']);
  assert.match(early.find((f) => f.rule === 'stray-page')!.message, /may be older than the patch/);
});
