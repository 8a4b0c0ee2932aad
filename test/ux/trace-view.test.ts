// Runs media/trace.js against a small stand-in for the webview's DOM (node has none, and the
// test must not need a browser): the recorded run is posted to it as the extension would, then
// the swimlanes, the state pane, stepping and step clicks are read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { ScenarioRun } from '../../server/src/verdict/scenario-run';
import { repoRoot } from '../protocol/client';

type Listener = (e: Record<string, unknown>) => void;

/** Just what trace.js uses of an element. */
class Node {
  children: Node[] = [];
  parent: Node | undefined;
  className = '';
  text = '';
  listeners = new Map<string, Listener>();
  attributes = new Map<string, string>();
  [key: string]: unknown;
  constructor(readonly tagName: string) {}
  set textContent(v: string) { this.text = v; }
  get textContent(): string { return this.text + this.children.map((c) => c.textContent).join(''); }
  get classList() {
    return { toggle: (c: string, on: boolean) => { const set = new Set(this.className.split(' ').filter(Boolean)); if (on) set.add(c); else set.delete(c); this.className = [...set].join(' '); } };
  }
  appendChild(c: Node): Node { c.parent = this; this.children.push(c); return c; }
  append(...cs: Node[]): void { for (const c of cs) this.appendChild(c); }
  replaceChildren(...cs: Node[]): void { this.children = []; this.append(...cs); }
  addEventListener(type: string, f: Listener): void { this.listeners.set(type, f); }
  setAttribute(k: string, v: string): void { this.attributes.set(k, v); }
  getAttribute(k: string): string | null { return this.attributes.get(k) ?? null; }
  focus(): void {}
  scrollIntoView(): void {}
  all(): Node[] { return this.children.flatMap((c) => [c, ...c.all()]); }
}

/** `tag.class.class` parts separated by spaces (descendant), the only selectors trace.js uses. */
function query(root: Node, selector: string): Node[] {
  const parts = selector.split(' ').map((p) => { const [tag, ...classes] = p.split('.'); return { tag: tag!.toUpperCase(), classes }; });
  const is = (n: Node, p: (typeof parts)[number]) => n.tagName === p.tag && p.classes.every((c) => n.className.split(' ').includes(c));
  return root.all().filter((n) => {
    if (!is(n, parts[parts.length - 1]!)) return false;
    let i = parts.length - 2;
    for (let a = n.parent; a && i >= 0; a = a.parent) if (is(a, parts[i]!)) i--;
    return i < 0;
  });
}

/** Loads trace.js into a fresh stand-in page; `saved` is what `vscode.getState()` returns (a reload). */
function load(saved?: unknown) {
  const body = new Node('BODY');
  const verdict = body.appendChild(new Node('HEADER'));
  const sides = body.appendChild(new Node('MAIN'));
  const posted: Record<string, unknown>[] = [];
  const docListeners = new Map<string, Listener>();
  let onMessage: Listener | undefined;
  const document = {
    getElementById: (id: string) => (id === 'verdict' ? verdict : id === 'sides' ? sides : null),
    createElement: (tag: string) => new Node(tag.toUpperCase()),
    addEventListener: (t: string, f: Listener) => docListeners.set(t, f),
    querySelector: (s: string) => query(body, s)[0] ?? null,
    querySelectorAll: (s: string) => query(body, s),
  };
  const window = { addEventListener: (t: string, f: Listener) => { if (t === 'message') onMessage = f; } };
  // postMessage clones, as the real one does (and the objects come from another realm).
  // setState keeps a clone too: VS Code stores the state as JSON.
  let stored: unknown = saved;
  const api = {
    postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m)) as Record<string, unknown>),
    getState: () => stored,
    setState: (v: unknown) => { stored = JSON.parse(JSON.stringify(v)); },
  };
  // The page loads the state pane's script first, then the view's, in one global scope.
  const context = { document, window, acquireVsCodeApi: () => api };
  for (const file of ['trace-state.js', 'trace.js']) runInNewContext(readFileSync(join(repoRoot, 'media', file), 'utf8'), context);
  const key = (k: string) => docListeners.get('keydown')!({ key: k, preventDefault: () => undefined });
  return { body, posted, key, send: (data: unknown) => onMessage!({ data }), state: () => stored };
}

const { runs } = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'ux', 'replay.json'), 'utf8')) as { runs: Record<string, ScenarioRun> };
const run = runs['dio-write-vs-fault']!;

test('the page asks for the run, then shows pre and post with one lane per thread and one row per step', () => {
  const v = load();
  assert.deepEqual(v.posted, [{ type: 'ready', hasRun: false }]);
  v.send({ type: 'run', run, side: 'post', step: 3 });
  const sections = query(v.body, 'section.side');
  assert.deepEqual(sections.map((s) => s.getAttribute('aria-label')), ['pre side', 'post side']);
  const [pre, post] = sections;
  assert.deepEqual(query(post!, 'thead tr')[0]!.children.map((c) => c.textContent), ['#', 'dio', 'fault']);
  assert.equal(query(pre!, 'tr.step').length, run.pre!.steps.length);
  assert.equal(query(post!, 'tr.step').length, run.post!.steps.length);
  // Step 4 (index 3) is current; its code sits in the fault lane.
  const current = query(post!, 'tr.current')[0]!;
  assert.equal(current.children[0]!.textContent, '4');
  assert.match(current.children[2]!.textContent, /find_get_page/);
  assert.equal(current.children[1]!.textContent, '');
  assert.match(query(post!, 'tr.violation')[0]!.textContent, /dio-coherency/);
  assert.match(query(v.body, 'header')[0]!.textContent, /post \(2\.6\.10\): broken: dio-coherency after step 8/);
});

/** A state table of a side as rows of cells: the field, then one cell per column, `*` marking a changed cell. */
function stateRows(side: Node, table: string): string[][] {
  return query(side, `table.${table} tbody tr`).map((r) => r.children.map((c) => `${c.textContent}${c.className === 'changed' ? '*' : ''}`));
}

// The page table has one column per page and one row per field, so it fits beside the lanes.
test('the page table beside the lanes marks what the current step changed', () => {
  const v = load();
  v.send({ type: 'run', run, side: 'post', step: 2 });
  const post = query(v.body, 'section.side')[1]!;
  assert.equal(query(post, 'div.side-body aside.state-pane table.pages').length, 1, 'the pane sits in the side\'s body, beside the lanes box');
  assert.deepEqual(query(post, 'table.pages thead tr')[0]!.children.map((c) => c.textContent), ['Pages', 'page 0']);
  const changed = stateRows(post, 'pages').filter((r) => r[1]!.endsWith('*')).map((r) => r[0]);
  // Step 3 is the unmap: the pte goes, its dirt moves into the page and its buffers.
  assert.deepEqual(changed, ['dirty', 'ptes', 'pte dirty', 'buffers']);
});

test('arrow keys step the active side; clicking a step asks the extension to reveal it', () => {
  const v = load();
  v.send({ type: 'run', run, side: 'post', step: 0 });
  v.key('ArrowRight');
  v.key('ArrowRight');
  v.key('ArrowLeft');
  v.key('ArrowRight');
  let post = query(v.body, 'section.side')[1]!;
  assert.equal(query(post, 'tr.current')[0]!.children[0]!.textContent, '3');
  v.key('ArrowLeft');
  v.key('ArrowLeft');
  v.key('ArrowLeft');
  post = query(v.body, 'section.side')[1]!;
  assert.equal(query(post, 'tr.current')[0]!.children[0]!.textContent, '1', 'stops at the first step');
  const pre = query(v.body, 'section.side')[0]!;
  query(pre, 'tr.step')[3]!.listeners.get('click')!({});
  assert.deepEqual(v.posted.at(-1), { type: 'reveal', side: 'pre', step: 3 });
  assert.equal(query(v.body, 'section.side.active')[0]!.getAttribute('aria-label'), 'pre side');
});

test('the page keeps run, document and cursor in its state, and a reloaded page shows them without asking again', () => {
  const uri = 'file:///work/dio-fault.patch';
  const v = load();
  v.send({ type: 'run', run, uri, side: 'post', step: 1 });
  v.key('ArrowRight');
  const saved = v.state() as { uri: string; cursor: { pre: number; post: number }; active: string; run: { scenario: string } };
  assert.equal(saved.uri, uri);
  assert.deepEqual(saved.cursor, { pre: 0, post: 2 });
  assert.equal(saved.active, 'post');
  assert.equal(saved.run.scenario, 'dio-write-vs-fault');
  // A reload (hidden and shown again, or the window reloaded and the serializer restored it):
  // the page renders from its state and tells the extension it needs no run.
  const again = load(saved);
  assert.deepEqual(again.posted, [{ type: 'ready', hasRun: true }]);
  const post = query(again.body, 'section.side')[1]!;
  assert.equal(query(post, 'tr.current')[0]!.children[0]!.textContent, '3');
  assert.equal(query(again.body, 'section.side.active')[0]!.getAttribute('aria-label'), 'post side');
});

test('a thread the run does not list (spawned during the run) still gets a lane, so no step is blank', () => {
  const v = load();
  const spawned = structuredClone(run);
  spawned.post!.steps[2]!.thread = 'wb1';
  v.send({ type: 'run', run: spawned, side: 'post', step: 2 });
  const [pre, post] = query(v.body, 'section.side');
  assert.deepEqual(query(post!, 'thead tr')[0]!.children.map((c) => c.textContent), ['#', 'dio', 'fault', 'wb1']);
  assert.equal(query(pre!, 'thead tr')[0]!.children.length, 4, 'both sides share the lanes');
  for (const row of query(post!, 'tr.step')) assert.equal(row.children.filter((c) => c.className === 'lane on').length, 1);
  assert.match(query(post!, 'tr.current')[0]!.children[3]!.textContent, /\S/);
});

test('jump buttons: to the race window (the last preemption before the violation) and to the violation', () => {
  const v = load();
  v.send({ type: 'run', run, side: 'post', step: 0 });
  const button = (side: number, label: string) => query(query(v.body, 'section.side')[side]!, 'div.controls button').find((b) => b.textContent.includes(label))!;
  const current = (side: number) => query(query(v.body, 'section.side')[side]!, 'tr.current')[0]!.children[0]!.textContent;
  // Post: fault gets in at step 4 while dio (which runs again at step 6) is between steps; dio-coherency after step 8.
  button(1, 'Window').listeners.get('click')!({});
  assert.equal(current(1), '4');
  button(1, 'Violation').listeners.get('click')!({});
  assert.equal(current(1), '8');
  // Pre: mapped-uptodate breaks after step 4, before the fault gets in (step 5): the window is that first preemption.
  button(0, 'Window').listeners.get('click')!({});
  assert.equal(current(0), '5');
  button(0, 'Violation').listeners.get('click')!({});
  assert.equal(current(0), '4');
});

test('a model step without library code shows no "undefined" place; a rule broken twice at one step shows once', () => {
  const v = load();
  const odd = structuredClone(run);
  const io = odd.post!.steps[4]!;
  odd.post!.steps[4] = { ...io, thread: 'fault', function: 'writeback-io', source: 'model', modelFile: undefined, modelLine: undefined, code: '' };
  odd.post!.violations.push({ ...odd.post!.violations[0]! });
  v.send({ type: 'run', run: odd, side: 'post', step: 0 });
  const post = query(v.body, 'section.side')[1]!;
  const places = query(post, 'div.where').map((w) => w.textContent);
  assert.deepEqual(places.filter((p) => /undefined/.test(p)), []);
  assert.ok(places.includes('writeback-io · model'));
  assert.equal(query(post, 'tr.violation').length, 1);
});

test('a run posted with step -1 opens each side at its race window; bookkeeping rows can be hidden', () => {
  const v = load();
  // Model steps 1, 4 and 5 of the post side made no change here: 1 and 5 are bookkeeping; 4 is
  // where fault gets in (the window), so it stays.
  const quietRun = structuredClone(run);
  for (const i of [0, 3, 4]) quietRun.post!.steps[i]!.effect = '';
  v.send({ type: 'run', run: quietRun, side: 'post', step: -1 });
  const current = (side: number) => query(query(v.body, 'section.side')[side]!, 'tr.current')[0]!.children[0]!.textContent;
  assert.equal(current(1), '4', 'post: fault gets in at step 4');
  assert.equal(current(0), '5', 'pre: fault gets in at step 5');
  const post = query(v.body, 'section.side')[1]!;
  const quiet = query(post, 'tr.step').map((r, i) => (r.className.includes('quiet') ? i + 1 : 0)).filter(Boolean);
  assert.deepEqual(quiet, [1, 5]);
  const toggle = query(v.body, 'header button')[0]!;
  assert.equal(toggle.textContent, 'Hide library bookkeeping');
  toggle.listeners.get('click')!({});
  assert.ok(query(v.body, 'main')[0]!.className.includes('hide-quiet'));
  assert.equal(query(v.body, 'header button')[0]!.textContent, 'Show library bookkeeping');
});

test('the state pane shows the iocbs and the patch\'s locals after the step, each changed cell marked; rows that never change can be hidden', () => {
  const v = load();
  const withState = structuredClone(run);
  withState.post!.steps.forEach((s, i) => {
    s.iocbs = [{ id: 1, sync: false, queued: i >= 2, completions: 0 }];
    s.locals = [{ thread: 'dio', frames: [{ function: 'generic_file_direct_IO', locals: { rw: '1', retval: i >= 2 ? '-529 (-EIOCBQUEUED)' : '0' } }] }];
  });
  v.send({ type: 'run', run: withState, side: 'post', step: 2 });
  let post = query(v.body, 'section.side')[1]!;
  assert.deepEqual(stateRows(post, 'iocbs'), [['sync', 'no'], ['queued', 'yes*'], ['completions', '0'], ['result', '—']]);
  assert.deepEqual(stateRows(post, 'locals'), [['rw', '1'], ['retval', '-529 (-EIOCBQUEUED)*']]);
  assert.deepEqual(query(post, 'table.locals thead tr')[0]!.children.map((c) => c.textContent), ['Locals', 'dio']);
  // The pre side has neither: no such tables.
  assert.deepEqual(query(query(v.body, 'section.side')[0]!, 'table.iocbs'), []);
  const hide = query(v.body, 'header button').find((b) => b.textContent === 'Hide unchanged state')!;
  hide.listeners.get('click')!({});
  post = query(v.body, 'section.side')[1]!;
  assert.deepEqual(stateRows(post, 'iocbs'), [['queued', 'yes*']]);
  assert.deepEqual(stateRows(post, 'locals'), [['retval', '-529 (-EIOCBQUEUED)*']]);
  assert.equal(stateRows(post, 'pages').some((r) => r[0] === 'cached'), false, 'page 0 stays cached throughout: hidden');
  assert.ok(query(v.body, 'header button').some((b) => b.textContent === 'Show unchanged state'));
});

test('opened at the window, pre and post step together, each as far from its own window as the other', () => {
  const v = load();
  v.send({ type: 'run', run, side: 'post', step: -1 });
  const current = (side: number) => Number(query(query(v.body, 'section.side')[side]!, 'tr.current')[0]!.children[0]!.textContent);
  assert.deepEqual([current(0), current(1)], [5, 4], 'each side at its window');
  v.key('ArrowRight');
  v.key('ArrowRight');
  assert.deepEqual([current(0), current(1)], [7, 6]);
  for (let i = 0; i < 6; i++) v.key('ArrowLeft');
  assert.deepEqual([current(0), current(1)], [2, 1], 'post stops at its first step; pre keeps the same distance');
  const together = query(v.body, 'header button').find((b) => b.textContent === 'Step each side alone')!;
  together.listeners.get('click')!({});
  v.key('ArrowRight');
  assert.deepEqual([current(0), current(1)], [2, 2], 'unlinked: only the active side moves');
  // Opened at a given step of one side, the sides are not linked.
  const w = load();
  w.send({ type: 'run', run, side: 'post', step: 1 });
  w.key('ArrowRight');
  assert.equal((w.state() as { cursor: { pre: number } }).cursor.pre, 0);
});

test('one side at a time: the other side is a click away, at its aligned step', () => {
  const v = load();
  v.send({ type: 'run', run, side: 'post', step: -1 });
  query(v.body, 'header button').find((b) => b.textContent === 'Show one side')!.listeners.get('click')!({});
  assert.deepEqual(query(v.body, 'section.side').map((s) => s.getAttribute('aria-label')), ['post side']);
  v.key('ArrowRight');
  query(v.body, 'header button').find((b) => b.textContent === 'Show before the patch')!.listeners.get('click')!({});
  assert.deepEqual(query(v.body, 'section.side').map((s) => s.getAttribute('aria-label')), ['pre side']);
  assert.equal(query(v.body, 'tr.current')[0]!.children[0]!.textContent, '6', 'pre moved with post: its window (5) plus one');
});

test('a livelock\'s lasso is marked: the loop\'s rows, its first and last step, a button to its start, the loop in the violation', () => {
  const v = load();
  const looping = structuredClone(run);
  const last = looping.post!.steps.length - 1;
  looping.post!.violations = [{ rule: 'livelock', message: 'dio can loop forever without progress under a fair schedule (cycle from step 3)', step: last, lasso: { from: 2, to: last } }];
  v.send({ type: 'run', run: looping, side: 'post', step: 0 });
  const post = query(v.body, 'section.side')[1]!;
  const rows = query(post, 'tr.step');
  const marks = rows.map((r) => ['lasso', 'lasso-start', 'lasso-end'].filter((c) => r.className.split(' ').includes(c)).join('+'));
  assert.deepEqual(marks, ['', '', 'lasso+lasso-start', ...Array.from({ length: last - 3 }, () => 'lasso'), 'lasso+lasso-end']);
  assert.match(query(post, 'tr.violation')[0]!.textContent, new RegExp(`the loop: steps 3 to ${last + 1}, again and again`));
  query(post, 'div.controls button').find((b) => b.textContent.includes('Loop'))!.listeners.get('click')!({});
  assert.equal(query(query(v.body, 'section.side')[1]!, 'tr.current')[0]!.children[0]!.textContent, '3');
  // A side without a lasso has no loop button.
  assert.deepEqual(query(query(v.body, 'section.side')[0]!, 'div.controls button').filter((b) => b.textContent.includes('Loop')), []);
});
