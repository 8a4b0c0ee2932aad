/**
 * Runs a litmus test in the model: its threads are C functions lowered like the era libraries,
 * their `int *` parameters point at shared variables (`State.vars`), and every schedule of the
 * interpreter — thread steps and, under weak, memory-actor steps — is enumerated exhaustively.
 * The result is the set of final outcomes; the litmus test's `exists` clause is then asked
 * whether some outcome satisfies it (allowed) or none does (forbidden).
 *
 * Registers are observed the way herd7 observes them, by name (`1:r0` is P1's r0): a thread
 * hands a register to the harness by storing it through a parameter named after it.
 */
import type { ProgramFunction } from '../../../server/src/model/program';
import { makeProgram } from '../../../server/src/model/program';
import { Interpreter } from '../../../server/src/model/interpreter';
import type { State } from '../../../server/src/model/state';
import { StateKeys } from '../../../server/src/model/state-key';
import { mkRef } from '../../../server/src/model/values';
import type { MemoryModel } from '../../../server/src/model/weak';
import { cLayer } from '../helpers';

/** A litmus test: its threads (P0, P1, ...) as C, and its `exists` clause (herd7 syntax, `/\` only). */
export interface Litmus {
  name: string;
  threads: string[];
  exists: string;
}

const SHARED = /^[a-z]$|^lock$/;

function emptyState(): State {
  return {
    pages: {}, mappings: {}, inodes: {}, files: {}, vmas: {}, mms: {}, iocbs: {}, disk: {}, locks: {},
    threads: [], ghost: { writes: [], failures: [] }, nextId: 1, clock: 1, vars: {},
  };
}

/** Every final outcome of the test under the memory model, as `name=value` lists sorted by name. */
export async function outcomes(t: Litmus, memoryModel: MemoryModel): Promise<{ outcomes: Set<string>; states: number }> {
  const fns: ProgramFunction[] = await cLayer(...t.threads);
  const interp = new Interpreter(makeProgram(fns), { fs: 'ext3', memoryModel, maxStepsPerThread: 100 });
  const s0 = emptyState();
  const vars: Record<string, bigint> = {};
  fns.forEach((f, n) => {
    const args = f.ir.params.map((p) => {
      const name = SHARED.test(p.name) ? p.name : `${n}:${p.name}`;
      vars[name] = 0n;
      return mkRef('var', 'litmus', name);
    });
    s0.threads.push(interp.newThread(`P${n}`, f.ir.name, args));
  });
  s0.vars = vars;
  const keys = new StateKeys();
  const seen = new Set<number>();
  const out = new Set<string>();
  const stack: State[] = [s0];
  while (stack.length) {
    const s = stack.pop()!;
    const k = keys.key(s);
    if (seen.has(k)) continue;
    seen.add(k);
    const en = interp.enabled(s);
    if (!en.length) {
      if (!interp.isFinal(s)) throw new Error(`${t.name}: stuck with threads ${s.threads.filter((x) => x.status !== 'done').map((x) => x.name)}`);
      out.add(Object.entries(s.vars ?? {}).filter(([n]) => n !== 'lock').sort(([a], [b]) => a.localeCompare(b)).map(([n, v]) => `${n}=${v}`).join(' '));
      continue;
    }
    for (const th of en) for (let c = interp.choices(s, th) - 1; c >= 0; c--) stack.push(interp.step(s, th, c).state);
  }
  return { outcomes: out, states: seen.size };
}

/** Whether some outcome satisfies the `exists` clause (`x=2 /\ 1:r0=1`). */
export function satisfies(outcome: string, exists: string): boolean {
  const have = new Map(outcome.split(' ').map((kv) => kv.split('=') as [string, string]));
  return exists.split('/\\').map((c) => c.trim().split('=')).every(([n, v]) => have.get(n.trim()) === v.trim());
}
