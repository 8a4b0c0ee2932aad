/**
 * The interpreter: runs step programs (FunctionIR) for the threads of a state, one visible step at
 * a time. A visible step is one that may touch shared state or block; purely local steps before
 * it are merged into it. This is the explorer's transition system: `enabled`, `choices`, `step`
 * (deterministic given a choice index) and `isFinal`, and each step reports what it read and
 * wrote so that partial-order reduction can tell independent steps apart.
 */
import type { FailureReason } from '../findings';
import type { Step } from '../ir/step-program';
import { convert } from './arith';
import { withEffects } from './effects';
import { argValues, compileStep, whereOf, type StepCode, type Where } from './compile-step';
import { Evaluator } from './eval';
import { checkReturn, stateViolations } from './invariants';
import { primitive } from './primitives';
import { genuineFailure, invalidateBlocker } from './primitives/mapping';
import { isBlock, type ModelOptions, type PrimCtx } from './primitives/primitive';
import { StepContext, WeakStepContext } from './step-context';
import { completeWriteback, readIo } from './primitives/writeback';
import { resolveMethod } from './ops';
import type { Program, ProgramFunction } from './program';
import { readList, writtenBetween } from './footprint';
import { Draft } from './draft';
import { makeThread, threadNamed, type Frame, type State, type Task, type Thread, type Wait } from './state';
import type { StepRecord, StepResult } from './step-result';
import { mkRef, type Value } from './values';
import * as weak from './weak';
import { actorStep, delayInto, delayLoad } from './weak-steps';

/** Local steps one visible step may merge before the thread is cut as looping without yielding. */
const LOCAL_LIMIT = 10_000;
/** Kernel stacks (4-8 KB) hold a few dozen frames; a model thread deeper than this is recursing without end. */
const MAX_CALL_DEPTH = 64;
const DEFAULT_MAX_STEPS = 2_000;
/** Functions whose 0 result is an invalidation failure the model names (seed 004). */
const INVALIDATORS: Record<string, number> = { invalidate_complete_page: 2, invalidate_complete_page2: Infinity };


/** The page an invalidator was called on (`(mapping, page)`), and whether it is still in that mapping. */
function invalidatedPage(s: State, args: Value[]): { page: State['pages'][number]; inMapping: boolean } | undefined {
  const [mv, pv] = args;
  if (pv === undefined || typeof pv === 'bigint' || !('ref' in pv) || pv.ref !== 'page') return undefined;
  const page = s.pages[Number(pv.id)];
  if (!page) return undefined;
  const mid = mv !== undefined && typeof mv === 'object' && 'ref' in mv ? Number(mv.id) : -1;
  return { page, inMapping: page.mapping === mid };
}

/** Whether a blocked thread's wait is over. */
export function waitSatisfied(s: State, tid: string, w: Wait): boolean {
  switch (w.on) {
    case 'page-lock': case 'page-unlocked': return s.pages[w.page]?.locked === null;
    case 'writeback': return !s.pages[w.page]?.writeback;
    case 'lock': { void tid; const l = s.locks[w.key]; return !l || (l.holder === undefined && !(l.readers && l.readers.length)); }
    case 'read-lock': return s.locks[w.key]?.holder === undefined;
    case 'iocb': return (s.iocbs[w.iocb]?.completions ?? 0) > 0;
  }
}

/**
 * A step's record: the statement `at` names, else the thread's function or task (`t0`, the thread
 * before the step). Made whole, in one of three shapes with the fields in the same order: fields
 * added to a record made smaller took a property store of their own at every step.
 */
function recordOf(thread: string, t0: Thread, at: Where | undefined): StepRecord {
  if (at === undefined) return { thread, fn: t0.frames.at(-1)?.fn ?? t0.task?.kind ?? t0.entry, source: 'model', code: '' };
  if (at.file === undefined) return { thread, fn: at.fn, source: at.source, code: at.code, loc: at.loc };
  return { thread, fn: at.fn, source: at.source, code: at.code, loc: at.loc, file: at.file, modelLine: at.modelLine };
}

type CallStep = Extract<Step, { op: 'call' }>;
type DeclareStep = Extract<Step, { op: 'declare' }>;

/** Per function of the program: the function, and per step its compiled code and its record's part. */
interface FnInfo {
  pf: ProgramFunction;
  code: (StepCode | undefined)[];
  where: (Where | undefined)[];
}

export class Interpreter {
  /** Under the weak memory model (asked at every statement: a field, not a getter). */
  private readonly weakMode: boolean;

  constructor(readonly program: Program, readonly options: ModelOptions) {
    this.weakMode = options.memoryModel === 'weak';
  }

  /** Threads that can take a step now. */
  enabled(s: State): string[] {
    // Loops, not filter and map: asked of every state a search reaches.
    const out: string[] = [];
    const ts = s.threads;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (!t.exhausted && (t.status === 'runnable' || (t.status === 'blocked' && t.wait !== undefined && waitSatisfied(s, t.name, t.wait)))) out.push(t.name);
    }
    // Under weak, a thread's memory actor can move while it has queued accesses (model/weak.ts).
    for (let i = 0; i < ts.length; i++) if (ts[i].weak && weak.actorMoves(s, ts[i].name).length) out.push(weak.memoryActor(ts[i].name));
    return out;
  }

  /** Every thread has finished (repeating threads never do) and every store has reached memory. */
  isFinal(s: State): boolean {
    return s.threads.every((t) => t.status === 'done' && !t.weak);
  }



  /** How many outcomes the next step of `tid` has (an unknown call, a chosen error). */
  choices(s: State, tid: string): number {
    return this.step(s, tid, 0).choices;
  }

  /** A new frame for `fn` called with `args` (parameters converted to their types). */
  frame(fn: string, args: Value[]): Frame {
    const ir = this.program.get(fn)!.ir;
    const locals: Record<string, Value> = {};
    ir.params.forEach((p, i) => {
      const v = args[i] ?? 0n;
      locals[p.name] = typeof v === 'bigint' ? convert(v, p.type) : v;
    });
    const f: Frame = { fn, pc: ir.entry, locals };
    if (fn in INVALIDATORS) f.args = args;
    return f;
  }

  /** A thread running `entry(args)`, or a native pseudo-thread for `task`. */
  newThread(name: string, entry: string, args: Value[], repeat = false, task?: Task): Thread {
    const t = makeThread({ name, frames: [], status: 'runnable', spins: [], structs: {}, entry, args, repeat, steps: 0, progress: 0 });
    if (task) t.task = task;
    else if (this.program.has(entry)) t.frames = [this.frame(entry, args)];
    return t;
  }

  step(s: State, tid: string, choice = 0): StepResult {
    const owner = weak.actorOwner(tid);
    if (owner !== undefined) return actorStep(s, owner, tid, choice);
    const t0 = threadNamed(s.threads, tid);
    if (!t0) throw new Error(`no thread ${tid}`);
    const d = new Draft(s);
    const ctx = this.weakMode ? new WeakStepContext(d, tid, choice, this) : new StepContext(d, tid, choice, this);
    const t = d.thread(tid);
    t.status = t.status === 'done' ? 'done' : 'runnable';
    // Cleared, not deleted: a thread keeps one shape (makeThread).
    t.wait = undefined;
    t.restarted = undefined;
    t.steps++;
    let at: Where | undefined;
    if (t.task) this.runTask(ctx, t.task);
    else at = this.runSteps(ctx);
    const record = recordOf(tid, t0, at);
    const th = threadNamed(d.state.threads, tid)!;
    if (th.steps >= (this.options.maxStepsPerThread ?? DEFAULT_MAX_STEPS) && th.status !== 'done') th.exhausted = true;
    // A finished I/O completion leaves: its name is free again, so a fault that starts reads
    // over and over reuses `io1` instead of running out of names, and its states can repeat.
    if (th.status === 'done' && th.spawned && !th.weak) d.removeThread(tid);
    const after = d.state;
    const found = stateViolations(s, after);
    for (let i = 0; i < found.length; i++) ctx.broke({ ...found[i], thread: tid });
    return withEffects(s, {
      state: after, record, returns: ctx.returns, violations: ctx.violations, notes: ctx.notes,
      reads: readList(d.reads), writes: writtenBetween(s, after), choices: Math.max(1, ctx.nChoices),
    });
  }

  /** For the step's context (StepHost): the patch's functions' results are shown in traces. */
  fromPatch(fn: string): boolean {
    return this.program.get(fn)?.source === 'patch';
  }

  /** For the step's context (StepHost): starts a pseudo-thread in the draft. */
  spawn(d: Draft, base: string, task: Task): string {
    let n = 1;
    while (d.hasThread(`${base}${n}`)) n++;
    const name = `${base}${n}`;
    const t = task.kind === 'aio-complete' && this.program.has('dio_bio_end_aio')
      ? this.newThread(name, 'dio_bio_end_aio', [mkRef('iocb', task.iocb), task.res])
      : this.newThread(name, task.kind, [], false, task);
    t.spawned = true;
    d.addThread(t);
    return name;
  }

  private runTask(ctx: PrimCtx, task: Task): void {
    if (task.kind === 'read-io') {
      const left = readIo(ctx, task);
      if (left) { ctx.d.thread(ctx.tid).task = left; return; }
    } else if (task.kind === 'writeback-io') completeWriteback(ctx, task.page, task.version);
    else primitive('aio_complete')!.run(ctx, [mkRef('iocb', task.iocb), task.res, 0n]);
    ctx.d.thread(ctx.tid).status = 'done';
  }

  /** Runs local steps and at most one visible step of the thread's code; where the statement the
   *  record names is: the visible one, or the last one run when none was (undefined: none ran). */
  private runSteps(ctx: PrimCtx): Where | undefined {
    const d = ctx.d;
    const ev = new Evaluator(ctx);
    let at: Where | undefined;
    let visibleDone = false;
    for (let n = 0; ; n++) {
      const t = d.thread(ctx.tid);
      if (t.status !== 'runnable' || t.frames.length === 0) {
        if (t.frames.length === 0 && t.status !== 'done') t.status = 'done';
        return at;
      }
      if (n > LOCAL_LIMIT) {
        // No scheduling point in LOCAL_LIMIT steps: code that touches nothing shared never ends
        // (the model's bound; the verdict reports it as a thread that can never finish).
        t.exhausted = true;
        ctx.note(`${ctx.tid} ran ${LOCAL_LIMIT} steps without a scheduling point`);
        ctx.violation('livelock', `${ctx.tid} never finishes: it ran ${LOCAL_LIMIT} steps in ${t.frames[t.frames.length - 1]?.fn ?? 'its code'}() without reaching a scheduling point (the model cuts it there)`);
        return at;
      }
      const f = t.frames[t.frames.length - 1];
      const info = this.fn(f.fn);
      const pf = info.pf;
      const st = pf.ir.steps[f.pc];
      const code = info.code[f.pc] ??= compileStep(st, this.resolver);
      const vis = code.visible;
      if (vis && visibleDone) return at;
      if (vis || !visibleDone) at = info.where[f.pc] ??= whereOf(pf, f.fn, st.loc);
      // th() made `f` the draft's own; under weak a delayed load may replace it (weak.ts).
      ev.top = this.weakMode ? undefined : f;
      this.exec(ctx, ev, st, code, t, f);
      if (vis) visibleDone = true;
      // A repeating thread's round ends its step: the next round is another system call (and a
      // round with no visible step must not spin inside one step until LOCAL_LIMIT).
      if (d.thread(ctx.tid).restarted) return at;
    }
  }

  /** Per function: the function and its steps' compiled code (compile-step.ts), which depends
   *  only on the step and the program: built on a step's first run. */
  private readonly fns = new Map<string, FnInfo>();

  private fn(name: string): FnInfo {
    let info = this.fns.get(name);
    if (!info) {
      const pf = this.program.get(name)!;
      const n = pf.ir.steps.length;
      info = { pf, code: new Array<StepCode | undefined>(n).fill(undefined), where: new Array<Where | undefined>(n).fill(undefined) };
      this.fns.set(name, info);
    }
    return info;
  }

  private readonly resolver = { has: (fn: string) => this.program.has(fn), method: (name: string) => this.method(name) };

  /** For the step's context (StepHost) and the compiled calls: the function a method runs. */
  method(name: string): string | null {
    return resolveMethod(this.options, name, (fn) => this.program.has(fn) || primitive(fn) !== undefined);
  }

  /** Runs one step; `t` and `f` are the thread and its top frame, the draft's own. Reads the
   *  step's compiled code, not the IR step, on the common paths (compile-step.ts says why). */
  private exec(ctx: PrimCtx, ev: Evaluator, st: Step, code: StepCode, t: Thread, f: Frame): void {
    switch (code.op) {
      case 'declare': {
        const dc = st as DeclareStep;
        if (dc.type.t === 'struct') {
          const id = `${ctx.tid}#${t.frames.length}:${dc.name}`;
          t.structs[id] = {};
          ctx.d.locals(f)[dc.name] = mkRef('struct', id);
        } else if (dc.type.t === 'array') ctx.d.locals(f)[dc.name] = { list: [] };
        else if (dc.name in f.locals) {
          const { [dc.name]: _gone, ...rest } = f.locals;
          f.locals = rest;
        }
        f.pc = code.next;
        return;
      }
      case 'assign':
        if (!(this.weakMode && st.op === 'assign' && delayLoad(ctx, ev, st.target, st.value))) code.store!(ev, code.value!(ev));
        ev.frame().pc = code.next;
        return;
      case 'jump': f.pc = code.next; return;
      case 'branch': {
        const c = code.value!(ev);
        ev.frame().pc = (typeof c === 'bigint' ? c !== 0n : true) ? code.next : code.other;
        return;
      }
      case 'return': this.ret(ctx, ev, code.value === undefined ? 0n : code.value(ev)); return;
      // code.op is st.op: the narrowing by a cast spares a read of the IR step.
      case 'call': this.call(ctx, ev, st as CallStep, code); return;
    }
  }

  private call(ctx: PrimCtx, ev: Evaluator, st: CallStep, code: StepCode): void {
    code.through?.(ev);
    const name = code.callee;
    const args = argValues(code.args, ev);
    if (name === null) {
      ctx.violation('bug-on', `${ctx.tid} calls ->${st.callee}(), which this filesystem's operations leave NULL`);
      code.store?.(ev, 0n);
      ev.frame().pc = code.next;
      return;
    }
    if (code.inProgram) {
      const t = ctx.d.thread(ctx.tid);
      if (t.frames.length >= MAX_CALL_DEPTH) {
        // Endless recursion (a patch calling itself): cut the thread, the search says incomplete.
        t.exhausted = true;
        ctx.note(`${ctx.tid} nested ${MAX_CALL_DEPTH} calls deep (${name}()): the thread is cut there`);
        ctx.violation('livelock', `${ctx.tid} never finishes: its calls nest ${MAX_CALL_DEPTH} deep at ${name}() (the model cuts it there)`);
        return;
      }
      t.frames.push(this.frame(name, args));
      ev.top = undefined;
      return;
    }
    const p = code.prim;
    let result: Value;
    if (!p) {
      ctx.note(`unmodeled call ${name}(): result chosen among 0 and -1`);
      result = ctx.choose(2) === 0 ? 0n : -1n;
    } else {
      const t = ctx.d.thread(ctx.tid);
      if (code.sleeps && t.spins.length) {
        ctx.violation('sleep-in-atomic', `${ctx.tid} calls ${name}(), which may sleep, while holding ${t.spins.join(', ')}`);
      }
      // The step's context is the weak model's context too (its draft, thread and read).
      const w = this.weakMode ? ctx : undefined;
      const ordering = w && weak.orderingOf(name);
      if (w && p.loads && st.result && delayInto(ctx, st.result, p.loads(args))) { ev.frame().pc = code.next; return; }
      if (w) weak.order(w, ordering);
      const r = code.run!(ctx, args);
      if (isBlock(r)) {
        const b = ctx.d.thread(ctx.tid);
        b.status = 'blocked';
        b.wait = r.block;
        // Sleeping goes through schedule(), a full barrier in the kernel; spinning is not.
        if (w && !(r.block.on === 'lock' && r.block.spin)) weak.mb(w);
        return;
      }
      if (w) weak.order(w, ordering, true);
      result = r;
      this.noteBlocker(ctx, ev.frame());
      this.judgeInvalidation(ctx, name, args, result);
    }
    code.store?.(ev, result);
    ev.frame().pc = code.next;
  }

  /** In an invalidator's frame: remembers what blocks its page now (Frame.blocker). */
  private noteBlocker(ctx: PrimCtx, f: Frame): void {
    if (!f.args) return;
    const at = invalidatedPage(ctx.d.s, f.args);
    const b = at?.inMapping ? invalidateBlocker(ctx.tid, at.page, INVALIDATORS[f.fn]) : undefined;
    if (b && b !== f.blocker) f.blocker = b;
  }

  /**
   * Records why an invalidation of a page failed (seed 004's cases) and whether a real user caused
   * it. The cause is what blocks the page when the invalidator returns, else what blocked it at its
   * last primitive (a transient reference dropped meanwhile), else the page was truncated away.
   * Limit: the blocker is judged by invalidateBlocker's rules with the function's count limit, not
   * by which of the C code's tests failed.
   */
  private judgeInvalidation(ctx: PrimCtx, fn: string, args: Value[], result: Value, seen?: FailureReason): void {
    if (!(fn in INVALIDATORS) || result !== 0n) return;
    const at = invalidatedPage(ctx.d.s, args);
    if (!at) return;
    const p = at.page;
    const reason = at.inMapping ? invalidateBlocker(ctx.tid, p, INVALIDATORS[fn]) ?? seen : undefined;
    ctx.d.ghost().failures.push({
      thread: ctx.tid, page: p.id, index: p.index, reason: reason ?? 'truncated',
      genuine: reason ? genuineFailure(ctx.tid, p, reason, (n) => (ctx.d.peekThread(n)?.status ?? 'done') === 'done') : false,
    });
  }

  private ret(ctx: PrimCtx, ev: Evaluator, value: Value): void {
    const t = ctx.d.thread(ctx.tid);
    const f = t.frames.pop()!;
    ev.top = undefined;
    const depth = t.frames.length;
    if (t.weak) weak.dropLoads(ctx, (e) => e.depth < depth);
    const ir = this.fn(f.fn).pf.ir;
    const v = typeof value === 'bigint' && ir.returnType.t !== 'void' ? convert(value, ir.returnType) : value;
    if (ir.returnType.t !== 'void') ctx.returned?.(f.fn, v);
    // The frame's structs go with it (most frames have none: no list of keys then).
    for (const _k in t.structs) {
      const prefix = `${ctx.tid}#${t.frames.length + 1}:`;
      for (const k of Object.keys(t.structs)) if (k.startsWith(prefix)) delete t.structs[k];
      break;
    }
    if (f.args) this.judgeInvalidation(ctx, f.fn, f.args, v, f.blocker);
    if (t.frames.length === 0) {
      t.progress++;
      checkReturn(ctx, v);
      // A repeating thread forgets its result: nothing judges it (the thread never finishes), and
      // keeping it would make every round look like a new state to the explorer.
      if (t.repeat) {
        t.frames = [this.frame(t.entry, t.args)];
        t.restarted = true;
      } else {
        t.ret = v;
        t.status = 'done';
      }
      return;
    }
    const caller = t.frames[t.frames.length - 1];
    const info = this.fn(caller.fn);
    const code = info.code[caller.pc] ??= compileStep(info.pf.ir.steps[caller.pc], this.resolver);
    if (code.op === 'call') {
      code.store?.(ev, v);
      ctx.d.thread(ctx.tid).frames.at(-1)!.pc = code.next;
    }
  }
}
