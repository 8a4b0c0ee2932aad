/** A primitive-calling harness for tests: a state, a thread, and `call(name, ...args)` that records which primitives were exercised. */
import { readField, readStruct, writeField } from '../../server/src/model/fields';
import { initialState } from '../../server/src/model/init';
import { Interpreter } from '../../server/src/model/interpreter';
import { primitive } from '../../server/src/model/primitives';
import { isBlock, type ModelOptions, type PrimCtx, type PrimResult } from '../../server/src/model/primitives/primitive';
import { Draft } from '../../server/src/model/draft';
import type { Page, State } from '../../server/src/model/state';
import { mkRef, type Value } from '../../server/src/model/values';
import type { PageSpec } from '../../server/src/scenarios/spec';
import { scenario } from './helpers';

export const exercised = new Set<string>();

export class Bench {
  d: Draft;
  tid = 'a';
  notes: string[] = [];
  violations: { rule: string; message: string; reason?: string }[] = [];
  spawned: string[] = [];
  choice = 0;
  constructor(pages: PageSpec[], public options: ModelOptions = { fs: 'ext3', era: '2.6.10' }) {
    const interp = new Interpreter(new Map(), options);
    const s: State = initialState(scenario([], pages, [], { fs: options.fs, file: { size: 4096 * Math.max(2, pages.length), pages } }), interp);
    s.threads = ['a', 'b'].map((n) => interp.newThread(n, 'none', []));
    s.mappings[1].vmas = [1];
    s.iocbs[1] = { id: 1, sync: true, file: 1, queued: false, completions: 0, result: null };
    s.iocbs[2] = { id: 2, sync: false, file: 1, queued: false, completions: 0, result: null };
    this.d = new Draft(s);
  }
  get s(): State { return this.d.s; }
  page(index: number): Page { return this.d.s.pages[this.d.s.mappings[1].pages[index]]; }
  ref(index: number): Value { return mkRef('page', this.d.s.mappings[1].pages[index]); }
  ctx(): PrimCtx {
    const d = this.d;
    return {
      d, tid: this.tid, options: this.options,
      choose: (n) => Math.min(this.choice, n - 1),
      note: (m) => this.notes.push(m),
      violation: (rule, message, reason) => this.violations.push({ rule, message, reason }),
      read: () => undefined,
      getField: (r, f) => (r.ref === 'struct' ? readStruct(d, r.id)?.[f] : readField(d, r, f)) ?? 0n,
      setField: (r, f, v) => { writeField(d, this.tid, r, f, v); },
      atomicAdd: (r, f, delta) => { const old = readField(d, r, f); writeField(d, this.tid, r, f, (typeof old === 'bigint' ? old : 0n) + delta); },
      spawn: (name) => { this.spawned.push(name); return `${name}${this.spawned.length}`; },
    };
  }
  call(name: string, ...args: Value[]): PrimResult {
    const p = primitive(name);
    if (!p) throw new Error(`no primitive ${name}`);
    exercised.add(name);
    return p.run(this.ctx(), args);
  }
  /** `call` for a primitive that must not block: its value. */
  value(name: string, ...args: Value[]): Value {
    const r = this.call(name, ...args);
    if (isBlock(r)) throw new Error(`${name} blocked`);
    return r;
  }
  /** A thread-local struct of thread `tid`, for pagevecs and iovecs. */
  struct(name: string, fields: Record<string, Value> = {}): Value {
    const id = `${this.tid}#1:${name}`;
    this.d.thread(this.tid).structs[id] = { ...fields };
    return mkRef('struct', id);
  }
  blocked(r: PrimResult): boolean { return isBlock(r); }
}

export const MAP = mkRef('mapping', 1);
export const VMA = mkRef('vma', 1);
export const MM = mkRef('mm', 1);
export const INODE = mkRef('inode', 1);
