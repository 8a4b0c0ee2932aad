/**
 * The state a trace step shows beyond the pages (DESIGN section 8: "the return values and locals
 * that decide the verdict (`retval`, `ret`, the iocb's state)"): every iocb after the step, and
 * per thread the integer locals of the frames running the patch's functions and the value its
 * entry returned. Also the words for what a step changed among those that decide a result: the
 * locals a patch function returns (`return ret;`), the threads' returns and the iocbs' results
 * ("ret→-EIO", "dio returned -EIO"); the step's effect carries them, so that hovers, the CLI and
 * the JSON trace show them. Other locals (loop counters, flags) are in the state pane only.
 *
 * Limits: only integer locals (pointers and lists say little in a table); locals of library
 * functions are left out, since the patch's functions are the ones a reviewer judges; a local
 * step runs inside the visible step before or after it (model/interpreter.ts), so its change is
 * shown on that step.
 */
import { errnoName } from '../lower/kernel-constants';
import type { StepResult } from '../model/step-result';
import type { Program, ProgramFunction } from '../model/program';
import type { State, Thread } from '../model/state';
import type { Value } from '../model/values';
import type { IocbSnapshot, ThreadLocals } from './scenario-run';

/** An integer as a reviewer reads it: with the errno it spells when it is one. */
export function valueText(v: Value | undefined): string | undefined {
  if (typeof v !== 'bigint') return undefined;
  const name = errnoName(v);
  return name ? `${v} (${name})` : String(v);
}

function shortValue(v: Value | undefined): string | undefined {
  return typeof v === 'bigint' ? errnoName(v) ?? String(v) : undefined;
}

export function iocbSnapshot(s: State): IocbSnapshot[] {
  return Object.values(s.iocbs).sort((a, b) => a.id - b.id).map((c) => {
    const snap: IocbSnapshot = { id: c.id, sync: c.sync, queued: c.queued, completions: c.completions };
    if (c.result !== null) snap.result = valueText(c.result)!;
    return snap;
  });
}

/** A C name: the lowering's temporaries are not the code's locals. */
const C_NAME = /^[A-Za-z_]\w*$/;

const returnedCache = new WeakMap<ProgramFunction, Set<string>>();

/** The locals a function returns by name (`return ret;`): the ones that decide its result. */
function returnedLocals(f: ProgramFunction): Set<string> {
  let names = returnedCache.get(f);
  if (!names) {
    names = new Set();
    for (const st of f.ir.steps) if (st.op === 'return' && st.value?.k === 'name' && st.value.scope === 'local') names.add(st.value.name);
    returnedCache.set(f, names);
  }
  return names;
}

/** The patch's frames of a thread with their integer locals, outermost first. */
function patchFrames(t: Thread, program: Program): { fn: string; depth: number; locals: Record<string, string> }[] {
  const out: { fn: string; depth: number; locals: Record<string, string> }[] = [];
  t.frames.forEach((f, depth) => {
    if (program.get(f.fn)?.source !== 'patch') return;
    const locals: Record<string, string> = {};
    for (const [name, v] of Object.entries(f.locals)) {
      if (!C_NAME.test(name)) continue;
      const text = valueText(v);
      if (text !== undefined) locals[name] = text;
    }
    out.push({ fn: f.fn, depth, locals });
  });
  return out;
}

export function localsSnapshot(s: State, program: Program): ThreadLocals[] {
  const out: ThreadLocals[] = [];
  for (const t of s.threads) {
    const frames = patchFrames(t, program);
    const returned = returnsValue(t, program) ? valueText(t.ret) : undefined;
    if (frames.length === 0 && returned === undefined) continue;
    const entry: ThreadLocals = { thread: t.name, frames: frames.map(({ fn, locals }) => ({ function: fn, locals })) };
    if (returned !== undefined) entry.returned = returned;
    out.push(entry);
  }
  return out;
}

/** Whether a thread's entry returns a value (a void entry "returns" 0 in the model). */
function returnsValue(t: Thread, program: Program): boolean {
  const rt = program.get(t.entry)?.ir.returnType;
  return rt !== undefined && rt.t !== 'void';
}

/**
 * What a step changed among the locals of the patch's frames that decide a result, the threads'
 * returns and the iocbs' results. `fn` is the function the step shows: a local of another frame
 * (set by a local step run after a library call returned) is named with its function.
 */
export function localChanges(before: State, r: Pick<StepResult, 'state' | 'record' | 'returns'>, program: Program): string[] {
  const after = r.state;
  const fn = r.record.fn;
  const out: string[] = [];
  // What the patch's functions returned: a result its caller may overwrite or drop in the same
  // step (`if (err) retval = err; return retval;` leaves no frame to compare).
  for (const x of r.returns) out.push(`${x.fn} returned ${shortValue(x.value)}`);
  for (const t of after.threads) {
    const o = before.threads.find((x) => x.name === t.name);
    if (!o) continue;
    const was = patchFrames(o, program);
    for (const f of patchFrames(t, program)) {
      const decides = returnedLocals(program.get(f.fn)!);
      // The same call: same function at the same depth (a return and a new call is a new frame).
      const prev = was.find((x) => x.fn === f.fn && x.depth === f.depth);
      for (const [name, text] of Object.entries(f.locals)) {
        if (!decides.has(name) || prev?.locals[name] === text) continue;
        const value = shortValue(t.frames[f.depth]!.locals[name]);
        // A fresh frame's locals start at 0 (C leaves them unset; the model zeroes them): only
        // a value set by the code is news.
        if (!prev && value === '0') continue;
        out.push(`${f.fn === fn ? '' : `${f.fn}: `}${name}→${value}`);
      }
    }
    if (o.ret === undefined && typeof t.ret === 'bigint' && returnsValue(t, program)) out.push(`${t.name} returned ${shortValue(t.ret)}`);
  }
  for (const c of Object.values(after.iocbs)) {
    const o = before.iocbs[c.id];
    if (c.result !== null && o?.result !== c.result) out.push(`iocb ${c.id}: result ${shortValue(c.result)}`);
  }
  return out;
}
