/**
 * A tiny threaded machine for the explorer's tests: threads run straight-line programs with jumps
 * over shared integer variables and sleeping locks. Every test system (counter, philosophers,
 * retry loops, random programs) is a set of programs for it.
 */
import type { Footprint, StepResult, System, Violation } from '../../../server/src/explore/system';

export type Instr =
  /** reg[r] = var[v] */
  | { op: 'load'; v: string; r: number }
  /** var[v] = reg[r] + add */
  | { op: 'store'; v: string; r: number; add: number }
  | { op: 'set'; v: string; value: number; progress?: boolean }
  /** var[v] = 0 or 1: a nondeterministic outcome. */
  | { op: 'pick'; v: string }
  | { op: 'lock'; l: string }
  | { op: 'unlock'; l: string }
  /** if var[v] <cmp> value goto to. Taking the jump is a retry (no progress) unless `progress`. */
  | { op: 'jump'; v: string; cmp: 'eq' | 'lt'; value: number; to: number; progress?: boolean }
  | { op: 'goto'; to: number; progress?: boolean };

export interface PState {
  pc: number[];
  regs: number[][];
  vars: Record<string, number>;
  /** Lock name -> owning thread index, or -1. */
  locks: Record<string, number>;
}

export interface ProgramSpec {
  threads: { name: string; code: Instr[] }[];
  vars?: Record<string, number>;
  /** A bad state: the rule it breaks and why. `observed` lists the variables it reads. */
  bad?: (vars: Record<string, number>) => Violation | undefined;
  badFinal?: (vars: Record<string, number>) => Violation | undefined;
  observed?: string[];
  /** Leave out `pending` so the explorer must treat blocked threads conservatively. */
  noPending?: boolean;
}

export function programSystem(spec: ProgramSpec): System<PState> {
  const names = spec.threads.map((t) => t.name);
  const idx = new Map(names.map((n, i) => [n, i]));
  const code = (t: string) => spec.threads[idx.get(t)!].code;
  const instr = (s: PState, t: string): Instr | undefined => code(t)[s.pc[idx.get(t)!]];
  const locksOf = (spec.threads.flatMap((t) => t.code).filter((i) => i.op === 'lock') as { l: string }[]).map((i) => i.l);
  const footprint = (i: Instr): Footprint => {
    switch (i.op) {
      case 'load': case 'jump': return { reads: [`var:${i.v}`], writes: [] };
      case 'store': case 'set': case 'pick': return { reads: [], writes: [`var:${i.v}`] };
      case 'lock': case 'unlock': return { reads: [`lock:${i.l}`], writes: [`lock:${i.l}`] };
      case 'goto': return { reads: [], writes: [] };
    }
  };
  const sys: System<PState> = {
    initial: () => ({
      pc: names.map(() => 0),
      regs: names.map(() => [0, 0]),
      vars: { ...(spec.vars ?? {}) },
      locks: Object.fromEntries(locksOf.map((l) => [l, -1])),
    }),
    threads: () => names,
    done: (s, t) => instr(s, t) === undefined,
    enabled: (s, t) => {
      const i = instr(s, t);
      if (!i) return false;
      return i.op !== 'lock' || s.locks[i.l] === -1;
    },
    choices: (s, t) => (instr(s, t)?.op === 'pick' ? 2 : 1),
    step: (s, t, choice): StepResult<PState> => {
      const ti = idx.get(t)!;
      const i = instr(s, t)!;
      const pc = s.pc.slice();
      pc[ti]++;
      let { vars, locks, regs } = s;
      let progress = true;
      const val = (v: string) => vars[v] ?? 0;
      switch (i.op) {
        case 'load': regs = regs.slice(); regs[ti] = regs[ti].slice(); regs[ti][i.r] = val(i.v); break;
        case 'store': vars = { ...vars, [i.v]: regs[ti][i.r] + i.add }; break;
        case 'set': vars = { ...vars, [i.v]: i.value }; progress = i.progress ?? true; break;
        case 'pick': vars = { ...vars, [i.v]: choice }; break;
        case 'lock': locks = { ...locks, [i.l]: ti }; break;
        case 'unlock': locks = { ...locks, [i.l]: -1 }; break;
        case 'jump': {
          const x = val(i.v);
          if (i.cmp === 'eq' ? x === i.value : x < i.value) { pc[ti] = i.to; progress = i.progress ?? false; }
          break;
        }
        case 'goto': pc[ti] = i.to; progress = i.progress ?? true; break;
      }
      return { state: { pc, regs, vars, locks }, footprint: footprint(i), progress };
    },
    // Sorted: variables are added in whatever order the threads first write them.
    key: (s) => JSON.stringify([s.pc, s.regs, Object.entries(s.vars).sort(), Object.entries(s.locks).sort()]),
    check: (s) => {
      const v = spec.bad?.(s.vars);
      return v ? [v] : [];
    },
    checkFinal: (s) => {
      const v = spec.badFinal?.(s.vars);
      return v ? [v] : [];
    },
    observed: (spec.observed ?? []).map((v) => `var:${v}`),
    label: (s, t) => JSON.stringify(instr(s, t) ?? 'done'),
  };
  if (!spec.noPending) {
    sys.pending = (s, t) => {
      const i = instr(s, t);
      return i ? footprint(i) : undefined;
    };
  }
  return sys;
}
