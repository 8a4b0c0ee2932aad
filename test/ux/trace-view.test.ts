// Runs media/trace.js against a small stand-in for the webview's DOM (node has none, and the
// test must not need a browser): the recorded run is posted to it as the extension would, then
// the swimlanes, the page table, stepping and step clicks are read back.
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
  runInNewContext(readFileSync(join(repoRoot, 'media', 'trace.js'), 'utf8'), { document, window, acquireVsCodeApi: () => api });
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

test('the page table marks what the current step changed', () => {
  const v = load();
  v.send({ type: 'run', run, side: 'post', step: 2 });
  const post = query(v.body, 'section.side')[1]!;
  const header = query(post, 'table.pages thead tr')[0]!.children.map((c) => c.textContent);
  const row = query(post, 'table.pages tbody tr')[0]!.children;
  const changed = row.map((c, i) => (c.className === 'changed' ? header[i] : undefined)).filter(Boolean);
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
