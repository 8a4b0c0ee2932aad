// Statuses, windows and the program builder of the model tier, on patches written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier, runScenario } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { compareSides } from '../../server/src/verdict/compare';
import type { FoundRun, SideResult } from '../../server/src/verdict/verdict';
import { planMessages } from '../../server/src/verdict/plan';
import { raceWindow } from '../../server/src/verdict/window';
import { builtinScenario } from '../../server/src/scenarios/catalog';
import type { RunStep } from '../../server/src/verdict/scenario-run';
import type { Range } from '../../server/src/intake/document';
import type { Side } from '../../server/src/findings';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'corpus', name), 'utf8');
const line = (n: number): Range => ({ start: { line: n, character: 1 }, end: { line: n, character: 10 } });
const step = (thread: string, n?: number): RunStep => ({
  thread, function: 'f', source: n === undefined ? 'model' : 'patch', code: '', effect: '', pages: [],
  ...(n === undefined ? { modelFile: '2.6.10/memory.c', modelLine: 7 } : { range: line(n) }),
});

test('program: the post side runs the spliced body, the pre side the library twin; mail code has no pre side', async () => {
  await initEngine();
  const a = analyze(fixture('fault-no-recheck.patch'), 'p.patch');
  const [plan] = planMessages(a.document, a.functions);
  assert.deepEqual(plan.changed, ['do_no_page']);
  assert.equal(plan.post.get('do_no_page')?.source, 'patch');
  assert.equal(plan.pre?.get('do_no_page')?.source, 'patch', 'the spliced pre body (library lines with the hunk\'s context)');
  assert.equal(plan.post.get('filemap_nopage')?.source, 'model');
  assert.ok(plan.scenarios.some((s) => s.id === 'truncate-vs-fault'));
  const mail = analyze('Something like this?\n\nvoid invalidate_inode_pages2(struct address_space *mapping)\n{\n\tcond_resched();\n}\n', 'm.txt');
  const plans = planMessages(mail.document, mail.functions);
  assert.equal(plans.length, 1);
  assert.equal(plans[0].pre, undefined);
  assert.equal(plans[0].post.get('invalidate_inode_pages2')?.source, 'patch');
});

test('window: the victim\'s two points around the other thread\'s steps, nearest before the violation', () => {
  const steps = [step('a', 10), step('a', 11), step('b', 30), step('b'), step('a', 12), step('a', 13), step('b', 31), step('a', 14)];
  const w = raceWindow(steps, 7, 'a', ['a', 'b'], line(0));
  assert.equal(w.victim, 'a');
  assert.deepEqual([w.window?.from.start.line, w.window?.to.start.line], [13, 14]);
  assert.equal(w.window?.interferer.thread, 'b');
  assert.equal(w.window?.interferer.range?.start.line, 31);
  // No interleaving before the violation: no window, the breaking step's own line.
  const alone = raceWindow([step('a', 5), step('a', 6)], 1, 'a', ['a', 'b'], line(0));
  assert.equal(alone.window, undefined);
  assert.equal(alone.range.start.line, 6);
});

test('window: a model-code point of the victim stands in as its nearest patch-code step; pseudo-threads are a last resort', () => {
  const steps = [step('a', 20), step('a'), step('io1'), step('a'), step('b', 40), step('a')];
  const w = raceWindow(steps, 5, 'a', ['a', 'b'], line(0));
  assert.equal(w.window?.interferer.thread, 'b');
  assert.equal(w.window?.from.start.line, 20);
});

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

test('runScenario: both sides with page snapshots; the pre side of the mutation is clean, the post side maps a page truncate is removing', async () => {
  await initEngine();
  const a = analyze(fixture('fault-no-recheck.patch'), 'p.patch');
  const run = runScenario(a, 'truncate-vs-fault');
  assert.deepEqual(run.threads.slice(0, 2), ['fault', 'truncate']);
  for (const s of [...run.pre!.steps, ...run.post!.steps]) assert.ok(run.threads.includes(s.thread), `${s.thread} listed`);
  assert.deepEqual(run.pre?.violations, []);
  // The first rule the post witness breaks: truncate clears PG_uptodate of the page the fault
  // mapped (under the page lock, before it leaves the cache), so mapped-uptodate comes before stray-page.
  assert.deepEqual(run.post?.violations.map((v) => v.rule), ['mapped-uptodate']);
  const last = run.post!.steps[run.post!.violations[0].step];
  assert.ok(last.pages.some((p) => p.index === 1 && p.cached && !p.uptodate && p.mapped === 1 && p.lockedBy === 'truncate'),
    'the snapshot shows page 1 mapped, not uptodate, locked by truncate');
  assert.ok(run.post!.steps.some((s) => s.source === 'patch' && s.range) && run.post!.steps.some((s) => s.source === 'model' && s.modelFile));
});

test('runModelTier: a document with no code runs nothing and claims nothing', async () => {
  await initEngine();
  const r = runModelTier(analyze('Just words about invalidate_inode_pages2().\n', 'prose.txt'));
  assert.deepEqual(r.findings, []);
  assert.equal(r.scenarios, 0);
});

// A spliced body runs lines the patch shows and lines it takes from the library: every step of
// it says where it is — a document line, or the library file and line with that line's code.
test('runScenario: steps on the library lines of a spliced body name their library line and code', async () => {
  await initEngine();
  const a = analyze(fixture('fault-no-recheck.patch'), 'p.patch');
  const run = runScenario(a, 'truncate-vs-fault');
  const inSpliced = run.post!.steps.filter((s) => s.function === 'do_no_page');
  assert.ok(inSpliced.some((s) => s.source === 'patch' && s.range), 'some steps on the patch\'s lines');
  const fromLibrary = inSpliced.filter((s) => s.source === 'model');
  assert.ok(fromLibrary.length > 0, 'some steps on lines the hunk does not show');
  for (const s of inSpliced) {
    assert.ok(s.code.length > 0, `code text for ${JSON.stringify(s)}`);
    assert.ok(s.range || (s.modelFile?.endsWith('/memory.c') && s.modelLine !== undefined && s.modelLine >= 0), `a place for ${s.code}`);
  }
});
