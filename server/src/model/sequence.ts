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
import { copyState, type Frame, type Mapping, type State, type Thread } from './state';

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
  // Called for every state the search keys: loops, no lists of what was found (the second pass
  // finds the samples again), and the shifted objects reused from `plan.copies`.
  let mapping: Mapping | undefined;
  for (const id in s.mappings) {
    if (mapping !== undefined) return s;
    mapping = s.mappings[id];
  }
  if (mapping === undefined) return s;
  let base = mapping.truncateCount;
  for (let t = 0; t < s.threads.length; t++) {
    const th = s.threads[t];
    // Under weak a queued store or delayed load may hold a value of the counter: exact keys then.
    if (th.weak && holdsCounter(th.weak)) return s;
    for (let f = 0; f < th.frames.length; f++) {
      const own = plan.samples.get(th.frames[f].fn);
      if (!own) continue;
      const locals = th.frames[f].locals;
      for (const n of own) {
        const x = locals[n];
        if (typeof x === 'bigint') base = Math.min(base, Number(x));
      }
    }
  }
  const delta = base - 1;
  if (delta <= 0) return s;
  let threads: Thread[] | undefined;
  for (let t = 0; t < s.threads.length; t++) {
    const th = s.threads[t];
    if (!holdsSample(th, plan)) continue;
    (threads ??= s.threads.slice())[t] = shifted(plan, th, delta, shiftThread);
  }
  const c = copyState(s);
  c.threads = threads ?? s.threads;
  c.mappings = shifted(plan, s.mappings, delta, shiftMappings);
  return c;
}

function holdsCounter(weak: NonNullable<Thread['weak']>): boolean {
  for (const e of weak) if ('loc' in e && e.loc.endsWith(`.${COUNTER}`)) return true;
  return false;
}

/** Some frame of the thread holds a sample of the counter. */
function holdsSample(th: Thread, plan: SequencePlan): boolean {
  for (let f = 0; f < th.frames.length; f++) {
    const own = plan.samples.get(th.frames[f].fn);
    if (!own) continue;
    for (const n of own) if (typeof th.frames[f].locals[n] === 'bigint') return true;
  }
  return false;
}

/** The copy of `o` shifted by `delta`: the last one made when it was for the same shift. */
function shifted<T extends object>(plan: SequencePlan, o: T, delta: number, make: (o: T, delta: number, plan: SequencePlan) => T): T {
  const last = plan.copies.get(o);
  if (last && last.delta === delta) return last.copy as T;
  const copy = make(o, delta, plan);
  plan.copies.set(o, { delta, copy });
  return copy;
}

function shiftThread(th: Thread, delta: number, plan: SequencePlan): Thread {
  const frames: Frame[] = th.frames.slice();
  for (let f = 0; f < frames.length; f++) {
    const own = plan.samples.get(frames[f].fn);
    if (!own) continue;
    let locals: Frame['locals'] | undefined;
    for (const n of own) {
      const x = frames[f].locals[n];
      if (typeof x === 'bigint') (locals ??= { ...frames[f].locals })[n] = x - BigInt(delta);
    }
    if (locals) frames[f] = { ...frames[f], locals };
  }
  return { ...th, frames };
}

/** The mappings with the only one's counter shifted (normaliseSequences keeps exact keys otherwise). */
function shiftMappings(ms: State['mappings'], delta: number): State['mappings'] {
  const out: State['mappings'] = { ...ms };
  for (const id in ms) out[id] = { ...ms[id], truncateCount: ms[id].truncateCount - delta };
  return out;
}
