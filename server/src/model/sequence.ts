/**
 * Sequence counters: `mapping->truncate_count`, whose absolute value never matters — only whether
 * a sample a thread took still equals the counter (do_no_page's re-check). Every unmap bumps it, so
 * a loop that unmaps while faults keep coming (seed 001's invalidation loop) never returns to a
 * state it saw before, and no cycle — no livelock — can ever be seen on exact states.
 *
 * Two states that differ only by adding the same amount to the counter and to every live sample
 * of it have the same future, provided the program uses the counter *translation-invariantly*:
 * its reads are only copied into locals (samples), compared for (in)equality with other reads or
 * samples, and the counter only moves by `c = c ± k`, `atomic_inc` or the unmap primitives. The
 * key then shifts those values so that the smallest is 1 (a state holding a 0 — the counter before
 * its first bump, or a sample still at its `= 0` initialiser — keeps its exact values, so a 0
 * never gets merged with a real count).
 *
 * `sequencePlan` checks that discipline on the lowered program and returns undefined when any use
 * falls outside it (a reset with `atomic_set`, a comparison with a constant, a sample passed to a
 * call, stored in a struct or returned): such a program gets exact keys, never a wrong merge.
 * Limits: samples are tracked per function (a sample passed between functions turns the plan
 * off); a state with more than one address space keeps exact keys; a sample that is assigned a
 * non-zero constant turns the plan off; 32-bit wrap-around of the counter is not modelled.
 */
import type { Expr, FunctionIR, Step } from '../ir/step-program';
import type { Program } from './program';
import type { Frame, State, Thread } from './state';

const COUNTER = 'truncate_count';
/** atomic_t helpers that read or bump the counter through `&mapping->truncate_count`. */
const READS = new Set(['atomic_read']);
const BUMPS = new Set(['atomic_inc']);

export interface SequencePlan {
  /** Per function name: its locals that hold samples of the counter. */
  samples: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The last shifted copy made of each thread and of each mappings collection, with its shift:
   * the same object shifted by the same amount gives back the same copy, so state keys
   * (state-key.ts, which number objects by identity) serialise it once instead of at every state.
   */
  copies: WeakMap<object, { delta: number; copy: object }>;
}

const stripCasts = (e: Expr): Expr => (e.k === 'cast' ? stripCasts(e.operand) : e);
const isCounter = (e: Expr): boolean => { const x = stripCasts(e); return x.k === 'member' && x.field === COUNTER; };
const isCounterAddress = (e: Expr | undefined): boolean => e !== undefined && e.k === 'unary' && e.op === '&' && isCounter(e.operand);
const localName = (e: Expr | undefined): string | undefined => (e && e.k === 'name' && e.scope === 'local' ? e.name : undefined);

/** The plan for a program, or undefined when its use of truncate_count is not translation-invariant. */
export function sequencePlan(program: Program): SequencePlan | undefined {
  const samples = new Map<string, Set<string>>();
  for (const [name, f] of program) {
    const own = samplesOf(f.ir);
    if (own.size) samples.set(name, own);
    if (!f.ir.steps.every((st) => stepIsInvariant(st, own))) return undefined;
  }
  return { samples, copies: new WeakMap() };
}

/** Locals assigned a counter read or another sample, to a fixpoint. */
function samplesOf(ir: FunctionIR): Set<string> {
  const out = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const st of ir.steps) {
      const target = st.op === 'assign' ? localName(st.target) : st.op === 'call' && READS.has(st.callee) && isCounterAddress(st.args[0]) ? localName(st.result) : undefined;
      const fromCounter = st.op === 'call' || (st.op === 'assign' && valued(st.value, out));
      if (target && fromCounter && !out.has(target)) { out.add(target); changed = true; }
    }
  }
  return out;
}

/** The expression's value is the counter's or a sample's. */
function valued(e: Expr, samples: ReadonlySet<string>): boolean {
  const x = stripCasts(e);
  return isCounter(x) || (localName(x) !== undefined && samples.has(localName(x)!));
}

function stepIsInvariant(st: Step, samples: ReadonlySet<string>): boolean {
  switch (st.op) {
    case 'assign': {
      if (isCounter(st.target)) return isShift(st.value) && clean(st.target, samples, true);
      const local = localName(st.target);
      if (local && samples.has(local)) {
        const v = stripCasts(st.value);
        return valued(v, samples) ? clean(v, samples, true) : v.k === 'const' && v.value === 0n;
      }
      return clean(st.target, samples, false) && clean(st.value, samples, false);
    }
    case 'call': {
      if ((READS.has(st.callee) || BUMPS.has(st.callee)) && isCounterAddress(st.args[0])) {
        const into = st.result === undefined || (READS.has(st.callee) && localName(st.result) !== undefined);
        return into && st.args.slice(1).every((a) => clean(a, samples, false));
      }
      if (st.result && localName(st.result) && samples.has(localName(st.result)!)) return false;
      return st.args.every((a) => clean(a, samples, false)) && (st.through === undefined || clean(st.through, samples, false)) &&
        (st.result === undefined || clean(st.result, samples, false));
    }
    case 'branch': return clean(st.cond, samples, false);
    case 'return': return st.value === undefined || clean(st.value, samples, false);
    default: return true;
  }
}

/** `c + k` or `c - k` for a counter read c and a constant k. */
function isShift(e: Expr): boolean {
  const x = stripCasts(e);
  return x.k === 'binary' && (x.op === '+' || x.op === '-') && isCounter(x.left) && stripCasts(x.right).k === 'const';
}

/**
 * No counter value is used outside an (in)equality with another counter value. `here` says the
 * expression itself may be a counter value (the right side of a sample's assignment, one side of
 * a comparison); the counter's own object (`mapping` in `mapping->truncate_count`) is walked too.
 */
function clean(e: Expr, samples: ReadonlySet<string>, here: boolean): boolean {
  if (valued(e, samples)) {
    if (!here) return false;
    const x = stripCasts(e);
    return x.k === 'member' ? clean(x.object, samples, false) : true;
  }
  switch (e.k) {
    case 'binary': {
      const compare = (e.op === '==' || e.op === '!=') && valued(e.left, samples) && valued(e.right, samples);
      return clean(e.left, samples, compare) && clean(e.right, samples, compare);
    }
    case 'unary': return !isCounterAddress(e) && clean(e.operand, samples, false);
    case 'cast': return clean(e.operand, samples, false);
    case 'member': return clean(e.object, samples, false);
    case 'index': return clean(e.object, samples, false) && clean(e.index, samples, false);
    case 'cond': return clean(e.test, samples, false) && clean(e.then, samples, false) && clean(e.else, samples, false);
    default: return true;
  }
}

/**
 * The state with the counter and its live samples shifted so that the smallest is 1, or the state
 * itself when nothing would move (no bump yet, a 0 among the values, several address spaces).
 * Only for keys: the copy shares everything it does not change and is never stepped.
 */
export function normaliseSequences(s: State, plan: SequencePlan): State {
  // Under weak a queued store or delayed load may hold a value of the counter: exact keys then.
  if (s.threads.some((t) => t.weak?.some((e) => 'loc' in e && e.loc.endsWith(`.${COUNTER}`)))) return s;
  const ids = Object.keys(s.mappings);
  if (ids.length !== 1) return s;
  const mapping = s.mappings[Number(ids[0])];
  let base = mapping.truncateCount;
  const touched: { t: number; f: number; names: string[] }[] = [];
  // Called for every state the search keys: loops, not copies.
  for (let t = 0; t < s.threads.length; t++) {
    const frames = s.threads[t].frames;
    for (let f = 0; f < frames.length; f++) {
      const own = plan.samples.get(frames[f].fn);
      if (!own) continue;
      const locals = frames[f].locals;
      let names: string[] | undefined;
      for (const n of own) {
        const x = locals[n];
        if (typeof x !== 'bigint') continue;
        (names ??= []).push(n);
        base = Math.min(base, Number(x));
      }
      if (names) touched.push({ t, f, names });
    }
  }
  const delta = base - 1;
  if (delta <= 0) return s;
  const shifted = <T extends object>(o: T, make: () => T): T => {
    const last = plan.copies.get(o);
    if (last && last.delta === delta) return last.copy as T;
    const copy = make();
    plan.copies.set(o, { delta, copy });
    return copy;
  };
  const threads: Thread[] = s.threads.slice();
  for (let i = 0; i < touched.length;) {
    const t = touched[i].t;
    let end = i;
    while (end < touched.length && touched[end].t === t) end++;
    const mine = touched.slice(i, end);
    threads[t] = shifted(s.threads[t], () => {
      const frames: Frame[] = s.threads[t].frames.slice();
      for (const { f, names } of mine) {
        const locals = { ...frames[f].locals };
        for (const n of names) locals[n] = (locals[n] as bigint) - BigInt(delta);
        frames[f] = { ...frames[f], locals };
      }
      return { ...s.threads[t], frames };
    });
    i = end;
  }
  const mappings = shifted(s.mappings, () => ({ ...s.mappings, [mapping.id]: { ...mapping, truncateCount: mapping.truncateCount - delta } }));
  return { ...s, threads, mappings };
}
