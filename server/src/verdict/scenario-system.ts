/**
 * The page-cache model as an explorer `System` (DESIGN section 7): the interpreter's threads,
 * steps and choices; footprints from the objects a step read and wrote; progress from the
 * threads' `progress` counters (an entry that returned); `check` the violations the step that
 * made the state raised (kept on the state, so the visited set tells apart a state reached by a
 * step that broke a rule from one reached cleanly), filtered by the scenario's invariants;
 * `checkFinal` the final invariants, then the epilogue run to its end and its invariants.
 *
 * Limits: the explorer needs a fixed thread list, but the model starts pseudo-threads for I/O
 * completions (`io1`, `wb1`, `bio1`...); the list reserves SPARE of each, and a state with more
 * is reported through `overflowed` (the caller marks the search incomplete). A thread cut by its
 * step budget counts as done here (so it is not taken for a deadlock) and also sets `overflowed`.
 * Footprints come from the interpreter (model/footprint.ts: reads through a recording view, writes
 * by difference, the thread's own `thread:T` included). `observed` is what the state invariants
 * read together: mapped-uptodate, dirty-uptodate and stray-page each judge one page object, whose
 * writes are ordered anyway (they conflict), so every order of independent steps shows each page
 * the same sequence of values and breaks the same rules; dio-coherency joins a page, the disk and
 * the ghost's write history, so with it those are observed and their writes keep their order.
 * Final and epilogue invariants judge final states, which every such order reaches alike.
 */
import type { Footprint, StepResult as SysStep, System, Violation as SysViolation } from '../explore/system';
import { MEMBERSHIPS } from '../model/footprint';
import { Interpreter } from '../model/interpreter';
import type { StepResult } from '../model/step-result';
import { initialState } from '../model/init';
import { deadlocked, epilogueViolations, finalViolations } from '../model/invariants';
import type { Program } from '../model/program';
import { normaliseSequences, sequencePlan, type SequencePlan } from '../model/sequence';
import { threadNamed, type State } from '../model/state';
import { StateKeys, type KeyParts } from '../model/state-key';
import { mkRef } from '../model/values';
import { actorOwner, memoryActor, type MemoryModel } from '../model/weak';
import type { ScenarioSpec } from '../scenarios/spec';
import { appendAll } from '../arrays';
import type { FailureReason } from '../findings';

/**
 * A violation as the search sees it. An invalidation's failure keeps one witness per cause
 * (seed 004's four): one witness per rule let a cause that only the other side's witness showed
 * read as fixed while it could still happen.
 */
export function counterexample(rule: string, message: string, reason?: FailureReason): SysViolation {
  return reason ? { rule, message, key: counterexampleKey(rule, reason) } : { rule, message };
}

/** The key of a violation with its cause (see `counterexample`). */
export function counterexampleKey(rule: string, reason?: FailureReason): string {
  return reason ? `${rule}|${reason}` : rule;
}

/** Pseudo-thread names the model may spawn, SPARE of each. */
const SPAWN_BASES = ['io', 'wb', 'bio'];
const SPARE = 4;

export interface ModelState {
  s: State;
  /** Violations the step into this state raised (wanted by the scenario). */
  v: SysViolation[];
  /** Kept by the system that built the state, which alone reads them (asked for many times per
   *  state; a field is cheaper than a WeakMap): its enabled threads, its key, and the model's
   *  steps run to count a thread's choices (`ScenarioSystem.modelStep`). */
  enabled?: readonly string[];
  key?: number;
  counted?: Counted;
  /** What its key was made of (model/state-key.ts), read to key the states its steps reach. */
  parts?: KeyParts;
  /** The parts of the state it came from, until it is keyed. */
  from?: KeyParts;
}

/**
 * Steps of a state run to count their thread's choices, kept until the search takes them: one
 * (DPOR counts a thread's choices right before it takes the step, so most states need no more),
 * or a map when a search counts every thread's first (dfs, bounded).
 */
type Counted = { thread: string; result: StepResult } | Map<string, StepResult>;

/**
 * The enabled list of a state where no thread can move. The interpreter pushes names into an empty
 * list (`Interpreter.enabled`), and an empty one keeps the elements kind of an empty literal,
 * another hidden class than a list of names: `includes` on it deoptimised the searches' code
 * compiled on the others at each search's first final state. This one is made as theirs are,
 * then emptied (a kind never narrows back).
 */
const NONE_ENABLED: readonly string[] = (() => {
  const e: string[] = [];
  e.push('none');
  e.length = 0;
  return e;
})();

/** A step that raised no violation the scenario wants (never written to: `check` copies). */
const NO_VIOLATIONS: SysViolation[] = [];

export class ScenarioSystem implements System<ModelState> {
  readonly interp: Interpreter;
  private readonly names: string[];
  private readonly wanted: Set<string>;
  /** A state had a thread outside the fixed list, or a thread ran out of its step budget. */
  overflowed = false;
  /** How keys may shift truncate_count (undefined: the program's use of it needs exact keys). */
  private readonly sequences: SequencePlan | undefined;
  private readonly keys = new StateKeys();
  readonly observed: readonly string[];
  readonly commuting = MEMBERSHIPS;

  constructor(readonly program: Program, readonly scenario: ScenarioSpec, era: string, readonly memoryModel: MemoryModel = 'sc') {
    this.interp = new Interpreter(program, { fs: scenario.fs, era, readErrors: scenario.readErrors, maxStepsPerThread: scenario.bounds.depth, memoryModel });
    // livelock raised by a step is a thread that can never finish: reported in every scenario.
    this.wanted = new Set<string>([...scenario.invariants, 'bug-on', 'livelock']);
    this.observed = this.wanted.has('dio-coherency') ? ['page:*', 'disk:*', 'ghost'] : [];
    this.sequences = sequencePlan(program);
    const names = [...scenario.threads.map((t) => t.name), ...SPAWN_BASES.flatMap((b) => Array.from({ length: SPARE }, (_, i) => `${b}${i + 1}`))];
    // Under weak each thread has a memory actor that flushes its stores and performs its delayed loads.
    this.names = memoryModel === 'weak' ? [...names, ...names.map(memoryActor)] : names;
  }

  initial(): ModelState {
    return { s: initialState(this.scenario, this.interp), v: NO_VIOLATIONS, enabled: undefined, key: undefined, counted: undefined, parts: undefined, from: undefined };
  }

  threads(): readonly string[] {
    return this.names;
  }

  private thread(m: ModelState, t: string) {
    return threadNamed(m.s.threads, t);
  }

  enabled(m: ModelState, t: string): boolean {
    // Asked once per thread name (the fixed list, spares included) per state: computed once. A
    // handful of names: a list searched in place costs less than a Set built per state.
    if (m.enabled === undefined) {
      const e = this.interp.enabled(m.s);
      m.enabled = e.length === 0 ? NONE_ENABLED : e;
    }
    return m.enabled.includes(t);
  }

  done(m: ModelState, t: string): boolean {
    const owner = actorOwner(t);
    if (owner !== undefined) return !this.thread(m, owner)?.weak;
    const th = this.thread(m, t);
    if (th?.exhausted) this.overflowed = true;
    return !th || th.status === 'done' || th.exhausted === true;
  }

  /**
   * The model's step (choice 0 kept on the state, `ModelState.counted`, since `choices` has to
   * run it to count outcomes). What is kept is the model's result, whose state is a plain State:
   * no kept step keeps another state's entry alive. `take` hands the kept result over and forgets
   * it: the searches take each step once after counting its choices, and a state the search keeps
   * (on its stack, in the memo) would otherwise keep every step result it ever counted (a tenth of
   * the live heap on the 1x2 shape). Kept on the state rather than in a WeakMap of maps: that was
   * a map and an ephemeron per state for one entry.
   */
  modelStep(m: ModelState, t: string, choice: number, take = false): StepResult {
    if (choice !== 0) return this.interp.step(m.s, t, choice);
    const c = m.counted;
    const kept = c === undefined ? undefined : c instanceof Map ? c.get(t) : c.thread === t ? c.result : undefined;
    if (kept !== undefined) {
      if (take) {
        if (c instanceof Map) c.delete(t);
        else m.counted = undefined;
      }
      return kept;
    }
    const r = this.interp.step(m.s, t, 0);
    if (!take) {
      if (c === undefined) m.counted = { thread: t, result: r };
      else if (c instanceof Map) c.set(t, r);
      else m.counted = new Map([[c.thread, c.result], [t, r]]);
    }
    return r;
  }

  choices(m: ModelState, t: string): number {
    return this.modelStep(m, t, 0).choices;
  }

  step(m: ModelState, t: string, choice: number): SysStep<ModelState> {
    const r = this.modelStep(m, t, choice, true);
    const before = this.thread(m, t)?.progress ?? 0;
    const after = threadNamed(r.state.threads, t)?.progress ?? 0;
    if (r.state.threads.length > m.s.threads.length && r.state.threads.some((x) => !this.names.includes(x.name))) this.overflowed = true;
    // A thread cut by its step or call-depth budget makes the search incomplete even when other
    // threads go on moving forever (then nobody asks `done` about it).
    if (r.state.threads.some((x) => x.exhausted)) this.overflowed = true;
    const v = r.violations.length === 0 ? NO_VIOLATIONS : r.violations.filter((x) => this.wanted.has(x.rule)).map((x) => counterexample(x.rule, x.message, x.reason));
    return { state: { s: r.state, v, enabled: undefined, key: undefined, counted: undefined, parts: undefined, from: m.parts }, footprint: { reads: r.reads, writes: r.writes }, progress: after > before };
  }

  key(m: ModelState): number {
    let key = m.key;
    if (key === undefined) {
      // Normalised copies are new objects every time: without this cache a state reached again
      // (a revisit, the witness search) would be serialised again in full.
      const extra = m.v.length ? m.v.map((x) => `${x.rule}|${x.message}`).join('\u0002') : undefined;
      key = this.keys.key(this.sequences ? normaliseSequences(m.s, this.sequences) : m.s, extra, m.from);
      m.key = key;
      m.parts = this.keys.parts;
      m.from = undefined;
    }
    return key;
  }

  check(m: ModelState): SysViolation[] {
    return m.v.slice();
  }

  checkFinal(m: ModelState): SysViolation[] {
    if (m.s.threads.some((t) => t.exhausted)) return [];
    const out: SysViolation[] = [];
    const keep = (rule: string, message: string, reason?: FailureReason) => { if (this.wanted.has(rule)) out.push(counterexample(rule, message, reason)); };
    for (const f of finalViolations(m.s)) keep(f.rule, f.message);
    if (this.scenario.epilogue) for (const f of this.epilogue(m.s).violations) keep(f.rule, f.message, f.reason);
    return out;
  }

  /** Runs the library's `kpr_epilogue` to its end on a final state: its steps' violations, then dirty-data-loss. */
  epilogue(s0: State): { steps: StepResult[]; violations: { rule: string; message: string; reason?: FailureReason }[]; state: State } {
    const steps: StepResult[] = [];
    const violations: { rule: string; message: string; reason?: FailureReason }[] = [];
    if (!this.program.has('kpr_epilogue')) return { steps, violations, state: s0 };
    const t = this.interp.newThread('epilogue', 'kpr_epilogue', [mkRef('mapping', 1), mkRef('vma', 1)]);
    let s: State = { ...s0, threads: [...s0.threads, t] };
    for (let budget = 10_000; budget > 0; budget--) {
      const en = this.interp.enabled(s);
      if (en.length === 0) break;
      const r = this.interp.step(s, en.includes('epilogue') ? 'epilogue' : en[0], 0);
      steps.push(r);
      appendAll(violations, r.violations);
      s = r.state;
    }
    if (!deadlocked(s, this.interp.enabled(s))) appendAll(violations, epilogueViolations(s));
    return { steps, violations, state: s };
  }

  /**
   * A repeating thread that has just finished a round (its entry returned and it stands at the
   * start of the next) is back in user space, where the scheduler may switch for free: the next
   * fault or store is a new system call, not a preemption of the last one. Without this every
   * round of a repeating thread would cost a preemption, and a fair cycle (a livelock) would
   * need more preemptions than the default bound allows.
   */
  yields(m: ModelState, t: string): boolean {
    // A memory actor is hardware, not a thread the scheduler preempts: leaving it costs nothing
    // (reaching it from a thread that could still run does, like any other switch).
    return actorOwner(t) !== undefined || this.thread(m, t)?.restarted === true;
  }

  pending(m: ModelState, t: string): Footprint | undefined {
    if (actorOwner(t) !== undefined) return undefined;
    const w = this.thread(m, t)?.wait;
    if (!w) return undefined;
    const reads = 'page' in w ? [`page:${w.page}`, `pageref:${w.page}`] : 'key' in w ? [`lock:${w.key}`] : [`iocb:${w.iocb}`];
    return { reads, writes: [] };
  }

  label(m: ModelState, t: string): string {
    if (actorOwner(t) !== undefined) return 'memory';
    const th = this.thread(m, t);
    return th?.frames.at(-1)?.fn ?? th?.task?.kind ?? t;
  }
}
