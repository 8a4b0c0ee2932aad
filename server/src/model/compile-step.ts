/**
 * A step of the step program compiled for the interpreter (issue 13): what depends only on the step
 * and the program is decided once, on the step's first run — whether it is visible (a scheduling
 * point), its expressions as closures (compile-expr.ts), and for a call the function it runs (a
 * method resolved through the flavour's operations table), whether the program has it and which
 * primitive implements it otherwise — and what the interpreter reads of the step on every run (its
 * kind, where control goes next), copied into this one shape: the IR's steps are objects of many
 * shapes, and reading their fields at every step went through megamorphic look-ups. The
 * interpreter keeps these per function in a side table; the IR stays plain data.
 */
import type { Loc, Step } from '../ir/step-program';
import { addressCode, storeCode, valueCode, type ExprEnv, type StoreCode, type ValueCode } from './compile-expr';
import { touchesShared } from './eval';
import { primitive } from './primitives';
import type { Primitive } from './primitives/primitive';
import { codeAt, modelPlace, type ProgramFunction } from './program';
import type { Value } from './values';

/** What a compiled step needs to know of the program it runs in. */
export interface StepResolver {
  /** The program has a C function of this name. */
  has(fn: string): boolean;
  /** The function a call through method `name` runs; null for the table's NULL method. */
  method(name: string): string | null;
}

/** One step, compiled. Every step gets the same shape (unused parts undefined or empty). */
export interface StepCode {
  /** The step's kind, as the IR says it. */
  op: Step['op'];
  /** Where control goes after the step: `next`, a jump's target, a branch's `then` (-1: a return). */
  next: number;
  /** A branch's `else` (-1 for other steps). */
  other: number;
  /** May touch shared state or block: the step is a scheduling point. */
  visible: boolean;
  /** The assigned value, the branch's condition, the returned value. */
  value: ValueCode | undefined;
  /** The assignment's target, the call's result. */
  store: StoreCode | undefined;
  /** A call's arguments (the first one's address for an lvalue primitive), in order. */
  args: ValueCode[];
  /** A call through a pointer: the pointer expression, evaluated for its reads. */
  through: ValueCode | undefined;
  /** The function a call runs (null: a NULL method); '' for other steps. */
  callee: string | null;
  /** The callee is a C function of the program. */
  inProgram: boolean;
  /** The primitive implementing the callee, when the program has no C for it. */
  prim: Primitive | undefined;
  /** Its `run` and `sleeps`, read here at every call (primitives are objects of many shapes).
   *  `run` is called as this object's: a primitive's `run` does not use `this`. */
  run: Primitive['run'] | undefined;
  sleeps: boolean;
}

export function compileStep(st: Step, program: StepResolver): StepCode {
  const code: StepCode = {
    op: st.op, next: -1, other: -1,
    visible: false, value: undefined, store: undefined, args: [], through: undefined, callee: '', inProgram: false, prim: undefined,
    run: undefined, sleeps: false,
  };
  switch (st.op) {
    case 'assign':
      code.next = st.next;
      code.visible = touchesShared(st.target) || touchesShared(st.value);
      code.value = valueCode(st.value);
      code.store = storeCode(st.target);
      break;
    case 'branch':
      code.next = st.then;
      code.other = st.else;
      code.visible = touchesShared(st.cond);
      code.value = valueCode(st.cond);
      break;
    case 'return':
      code.visible = touchesShared(st.value);
      code.value = st.value && valueCode(st.value);
      break;
    case 'declare': code.next = st.next; break;
    case 'jump': code.next = st.to; break;
    case 'call': {
      code.next = st.next;
      const name = st.through ? program.method(st.callee) : st.callee;
      const inProgram = name !== null && program.has(name);
      const prim = name === null || inProgram ? undefined : primitive(name);
      const argsShared = st.args.some(touchesShared) || touchesShared(st.through) || touchesShared(st.result);
      code.visible = name === null || inProgram ? argsShared : !prim || !prim.pure || argsShared;
      code.callee = name;
      code.inProgram = inProgram;
      code.prim = prim;
      code.run = prim?.run;
      code.sleeps = prim?.sleeps ?? false;
      code.args = st.args.map((a, i) => (i === 0 && prim?.lvalue ? addressCode(a) : valueCode(a)));
      code.through = st.through && valueCode(st.through);
      code.store = st.result && storeCode(st.result);
      break;
    }
  }
  return code;
}

/** What a step's record says of the statement it names: the same for every run of the statement,
 *  so made on its first run (the code's text was cut out of its line at every step before). */
export interface Where {
  fn: string;
  loc: Loc;
  source: 'patch' | 'model';
  code: string;
  file: string | undefined;
  modelLine: number | undefined;
}

export function whereOf(pf: ProgramFunction, fn: string, loc: Loc): Where | undefined {
  if (!loc) return undefined;
  const place = modelPlace(pf, loc);
  return { fn, loc, source: place ? 'model' : pf.source, code: codeAt(pf, loc), file: place?.file, modelLine: place?.line };
}

/**
 * A call's argument values, left to right, in a list of their number: an empty list pushed to
 * takes room for sixteen (144 bytes) at its first push, and a call has one to four arguments.
 */
export function argValues(args: readonly ValueCode[], ev: ExprEnv): Value[] {
  switch (args.length) {
    case 0: return [];
    case 1: return [args[0](ev)];
    case 2: return [args[0](ev), args[1](ev)];
    case 3: return [args[0](ev), args[1](ev), args[2](ev)];
    default: {
      const out: Value[] = [args[0](ev), args[1](ev), args[2](ev), args[3](ev)];
      for (let i = 4; i < args.length; i++) out.push(args[i](ev));
      return out;
    }
  }
}
