// State keys (server/src/model/state-key.ts) against a plain reference: two states get equal keys
// iff their canonical JSON is equal (bigints apart from strings, threads without their step
// counters, locks in name order). Checked over every state of a small real search, keyed as the
// search keys them (each from the parts of the state it came from), and over states built to
// differ in one place each: every page field, a nested local, a struct, a thread's spins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState } from '../../server/src/model/init';
import { Interpreter } from '../../server/src/model/interpreter';
import { makePage, type Page, type State } from '../../server/src/model/state';
import { KeyTexts } from '../../server/src/model/key-texts';
import { PAGE_FIELDS, STATE_FIELDS, StateKeys, type KeyParts } from '../../server/src/model/state-key';
import { mkRef } from '../../server/src/model/values';
import { program, scenario } from './helpers';

/** The canonical text of a state: what a key must tell apart, and nothing more. */
function reference(s: State): string {
  const { threads, locks, ...rest } = s;
  const canon = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { '\u0000bigint': String(x) } : x));
  return canon([rest, Object.keys(locks).sort().map((k) => [k, locks[k]]), threads.map(({ steps: _s, progress: _p, ...t }) => t)]);
}

/** Per state, the index of the first state equal to it, by `of`: the partition it makes. */
function classes<T>(xs: readonly T[], of: (x: T, i: number) => string | number): number[] {
  const first = new Map<string | number, number>();
  return xs.map((x, i) => {
    const k = of(x, i);
    if (!first.has(k)) first.set(k, i);
    return first.get(k)!;
  });
}

/** The states keys must partition as `reference` does; the pairs they merge or split, as text. */
function disagreements(states: readonly State[], keyOf: (s: State, i: number) => number): string[] {
  const byKey = classes(states, keyOf);
  const byRef = classes(states, reference);
  const out: string[] = [];
  byKey.forEach((k, i) => {
    if (k !== byRef[i]) out.push(`state ${i}: same key as ${k}, same content as ${byRef[i]}`);
  });
  return out;
}

test('state keys partition the states of a real search as their content does, keyed from their parents\' parts', async () => {
  const p = await program('2.6.10');
  const sc = scenario([
    { name: 'fault', entry: 'user_fault', args: [{ ref: 'vma' }, 0] },
    { name: 'truncate', entry: 'sys_truncate', args: [{ ref: 'inode' }, 0] },
  ], [{ index: 0 }, { index: 1, dirty: true }], []);
  const interp = new Interpreter(p, { fs: sc.fs, era: '2.6.10' });
  // Breadth first, every state reached (revisits included) with its parent's index; each
  // distinct state expanded once.
  const states: State[] = [initialState(sc, interp)];
  const parent: number[] = [-1];
  const expanded = new Set<string>();
  for (let i = 0; i < states.length && states.length < 6000; i++) {
    const text = reference(states[i]);
    if (expanded.has(text)) continue;
    expanded.add(text);
    for (const t of interp.enabled(states[i])) {
      for (let c = 0; c < interp.choices(states[i], t); c++) {
        states.push(interp.step(states[i], t, c).state);
        parent.push(i);
      }
    }
  }
  const keys = new StateKeys();
  const parts: (KeyParts | undefined)[] = [];
  const keyed = disagreements(states, (s, i) => {
    const k = keys.key(s, undefined, parent[i] < 0 ? undefined : parts[parent[i]]);
    parts[i] = keys.parts;
    return k;
  });
  assert.deepEqual(keyed, []);
  const distinct = new Set(states.map(reference)).size;
  assert.ok(distinct > 500 && distinct < states.length, `the search reaches many distinct states, and some again (${distinct} of ${states.length})`);
  // Keyed again in another order by a fresh table, with no parents: the same partition.
  const fresh = new StateKeys();
  const reversed = states.slice().reverse();
  assert.deepEqual(disagreements(reversed, (s) => fresh.key(s)), []);
  // Parts from another table are not read (their numbers mean nothing here).
  const other = new StateKeys();
  other.key(states[1]);
  assert.equal(keys.key(states[2], undefined, other.parts), keys.key(states[2]));
});

/** Other values of each state field, from the base state's. */
const STATE_VARIANTS: Record<(typeof STATE_FIELDS)[number], (s: State) => unknown[]> = {
  pages: (s) => [{ ...s.pages, 9: makePage({ ...s.pages[1], id: 9 }) }, {}],
  mappings: (s) => [{ ...s.mappings, 1: { ...s.mappings[1], truncateCount: 1 } }, { ...s.mappings, 1: { ...s.mappings[1], pages: {} } }],
  inodes: (s) => [{ ...s.inodes, 1: { ...s.inodes[1], size: 1 } }],
  files: (s) => [{ ...s.files, 7: { id: 7 } }],
  vmas: (s) => [{ ...s.vmas, 1: { ...s.vmas[1], start: 4096 } }],
  mms: (s) => [{ ...s.mms, 1: { ...s.mms[1], ptes: { 0: { page: 1, dirty: false } } } }, { ...s.mms, 1: { ...s.mms[1], ptes: { 0: { page: 1, dirty: true } } } }],
  iocbs: () => [{ 1: { id: 1, res: 0n } }, { 1: { id: 1, res: 1n } }],
  disk: () => [{ 0: 1 }, { 0: 2 }, { 1: 1 }],
  locks: () => [{ a: { holder: 't' } }, { a: { holder: 'u' } }, { a: { holder: 't' }, b: { holder: 't' } }],
  ghost: (s) => [{ ...s.ghost, writes: [...s.ghost.writes, { index: 0, version: 9, by: 't', kind: 'store' }] }, { ...s.ghost, failures: [{ thread: 't', page: 1, index: 0, reason: 'x', genuine: true }] }],
  vars: () => [{}, { x: 1n }, { x: 2n }, { y: 1n }],
  threads: (s) => [[new Interpreter(new Map(), { fs: 'ext3' }).newThread('t', 'f', [])], s.threads.slice(0, -1)],
  nextId: (s) => [s.nextId + 1],
  clock: (s) => [s.clock + 1],
};

test('every state field is keyed: a state differing in any one field gives another key', () => {
  const interp = new Interpreter(new Map(), { fs: 'ext3' });
  const base = initialState(scenario([], [{ index: 0 }], []), interp);
  base.threads.push(interp.newThread('u', 'g', []));
  const states: State[] = [base, { ...base }];
  for (const f of STATE_FIELDS) for (const v of STATE_VARIANTS[f](base)) states.push({ ...base, [f]: v });
  const keys = new StateKeys();
  assert.deepEqual(disagreements(states, (s) => keys.key(s)), []);
  assert.equal(new Set(states.map((s) => keys.key(s))).size, states.length - 1, 'the copy keys as the base; every variant apart');
});

/** Another value of each page field, besides the base page's. */
const PAGE_VARIANTS: Record<(typeof PAGE_FIELDS)[number], unknown[]> = {
  id: [3], index: [-1, 5], mapping: [null, 2], locked: ['fault', 'truncate'], uptodate: [false], dirty: [true], writeback: [true],
  ptes: [['1:0'], ['1:0', '1:1'], ['1:1', '1:0']], count: [0, 2, -1], buffers: ['none', 'dirty', 'pinned'], data: [-1, 7, 2 ** 31],
  pins: [1], dirtOrigin: ['user', 'zap:fault'], reading: [true],
  holders: [{ fault: 1 }, { fault: 2 }, { truncate: 1 }, { fault: 1, truncate: 1 }, { truncate: 1, fault: 1 }], error: [true],
};

test('every page field is keyed: a page differing in any one field gives another key; an equal page the same', async () => {
  const base = initialState(scenario([], [{ index: 0 }], []), new Interpreter(new Map(), { fs: 'ext3' }));
  const page = base.pages[1];
  assert.deepEqual(Object.keys(page), [...PAGE_FIELDS], 'makePage writes the fields StateKeys.page reads, in its order');
  const withPage = (p: Page): State => ({ ...base, pages: { ...base.pages, [p.id]: p } });
  const states = [base, withPage(makePage({ ...page })), withPage(makePage({ ...page, error: undefined })), withPage(structuredClone(page))];
  const copies = states.length - 1;
  for (const f of PAGE_FIELDS) {
    for (const v of PAGE_VARIANTS[f]) {
      assert.notDeepEqual(v, page[f], `a variant of ${f} differs from the base page's`);
      states.push(withPage(makePage({ ...page, [f]: v })));
    }
  }
  const keys = new StateKeys();
  assert.deepEqual(disagreements(states, (s) => keys.key(s)), []);
  assert.equal(new Set(states.map((s) => keys.key(s))).size, states.length - copies, 'the copies key as the base; every variant apart');
});

test('nested data is keyed: locals, refs, lists, structs and spins that differ anywhere give other keys', () => {
  const interp = new Interpreter(new Map(), { fs: 'ext3' });
  const base = initialState(scenario([], [{ index: 0 }], []), interp);
  const thread = interp.newThread('t', 'f', [mkRef('vma', 1)]);
  thread.frames = [{ fn: 'g', pc: 3, locals: { v: mkRef('vma', 1) } }, { fn: 'f', pc: 0, locals: {} }];
  const withThread = (edit: (t: typeof thread) => void): State => {
    const t = structuredClone(thread);
    edit(t);
    return { ...base, threads: [t] };
  };
  const top = (t: typeof thread) => t.frames[t.frames.length - 1];
  const states = [
    withThread(() => {}),
    withThread(() => {}),
    withThread((t) => { top(t).locals.x = 1n; }),
    withThread((t) => { top(t).locals.x = 2n; }),
    withThread((t) => { top(t).locals.x = mkRef('page', 1); }),
    withThread((t) => { top(t).locals.x = mkRef('page', 2); }),
    withThread((t) => { top(t).locals.x = mkRef('page', 1, 'flags'); }),
    withThread((t) => { top(t).locals.x = { list: [1n, mkRef('page', 1)] }; }),
    withThread((t) => { top(t).locals.x = { list: [mkRef('page', 1), 1n] }; }),
    withThread((t) => { top(t).locals.x = { list: [{ list: [1n] }] }; }),
    withThread((t) => { top(t).locals.x = { list: [{ list: [2n] }] }; }),
    withThread((t) => { top(t).locals.x = 1n; top(t).locals.y = 2n; }),
    withThread((t) => { top(t).locals.z = 1n; top(t).locals.y = 2n; }),
    withThread((t) => { top(t).locals.y = 2n; top(t).locals.x = 1n; }),
    withThread((t) => { top(t).pc++; }),
    withThread((t) => { t.structs.pvec = { nr: 1n }; }),
    withThread((t) => { t.structs.pvec = { nr: 2n }; }),
    withThread((t) => { t.spins = ['a', 'b']; }),
    withThread((t) => { t.spins = ['b', 'a']; }),
    withThread((t) => { t.steps = 5; t.progress = 2; }),
  ];
  const keys = new StateKeys();
  assert.deepEqual(disagreements(states, (s) => keys.key(s)), []);
  assert.equal(new Set(states.map((s) => keys.key(s))).size, states.length - 2, 'the copy and the step counters key as the first; every other apart');
});

test('key texts: equal unit texts get equal numbers and different ones different numbers, past every growth of the table', () => {
  const texts = new KeyTexts();
  const seen = new Map<string, number>();
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 30_000; i++) {
    // Short texts from a small alphabet repeat often; numbers past 0x8000 take two units.
    const units = Array.from({ length: 1 + (next() % 16) }, () => (next() % 3 === 0 ? 0x8000 + (next() % 5) : next() % 5));
    const start = texts.top;
    for (const u of units) texts.put(u);
    const n = texts.text(start);
    const was = seen.get(units.join());
    if (was === undefined) seen.set(units.join(), n);
    else assert.equal(n, was, `text ${units.join()} again`);
  }
  assert.equal(new Set(seen.values()).size, seen.size, 'distinct texts, distinct numbers');
  assert.ok(seen.size > 20_000, `many distinct texts (${seen.size})`);
  assert.ok(texts.top === 0, 'every text popped');
  assert.equal(texts.string('a'), texts.string('a'));
  assert.ok(!new Set(seen.values()).has(texts.string('b')), 'a string\'s number is no unit text\'s');
});
