/** The explorer's test systems, each a few lines of the tiny machine in programs.ts. */
import { programSystem, type Instr } from './programs';

/** n threads each do `x = x + 1` as a load and a store; with `locked`, under one lock. */
export function counter(n: number, locked: boolean) {
  const body: Instr[] = [{ op: 'load', v: 'x', r: 0 }, { op: 'store', v: 'x', r: 0, add: 1 }];
  const code: Instr[] = locked ? [{ op: 'lock', l: 'm' }, ...body, { op: 'unlock', l: 'm' }] : body;
  return programSystem({
    threads: Array.from({ length: n }, (_, i) => ({ name: `inc${i}`, code })),
    vars: { x: 0 },
    badFinal: (v) => (v.x !== n ? { rule: 'lost-update', message: `x = ${v.x} after ${n} increments` } : undefined),
    observed: ['x'],
  });
}

/** n philosophers, each takes the left fork then the right one; `ordered` takes the lower first. */
export function philosophers(n: number, ordered = false) {
  return programSystem({
    threads: Array.from({ length: n }, (_, i) => {
      let [a, b] = [i, (i + 1) % n];
      if (ordered && b < a) [a, b] = [b, a];
      const code: Instr[] = [
        { op: 'lock', l: `f${a}` }, { op: 'lock', l: `f${b}` },
        { op: 'unlock', l: `f${b}` }, { op: 'unlock', l: `f${a}` },
      ];
      return { name: `p${i}`, code };
    }),
  });
}

/**
 * An invalidator clears a flag and retries while a faulter keeps setting it again, forever.
 * With `maxRetries` the invalidator gives up after that many retries.
 */
export function retry(maxRetries?: number) {
  const unbounded: Instr[] = [
    { op: 'set', v: 'mapped', value: 0, progress: false },
    { op: 'jump', v: 'mapped', cmp: 'eq', value: 1, to: 0 },
  ];
  const bounded: Instr[] = [
    { op: 'set', v: 'mapped', value: 0, progress: false },
    { op: 'jump', v: 'mapped', cmp: 'eq', value: 0, to: 6, progress: true },
    { op: 'load', v: 'tries', r: 0 },
    { op: 'store', v: 'tries', r: 0, add: 1 },
    { op: 'jump', v: 'tries', cmp: 'lt', value: maxRetries ?? 0, to: 0 },
    { op: 'goto', to: 6 },
  ];
  return programSystem({
    threads: [
      { name: 'invalidate', code: maxRetries === undefined ? unbounded : bounded },
      { name: 'fault', code: [{ op: 'set', v: 'mapped', value: 1 }, { op: 'goto', to: 0 }] },
    ],
    vars: { mapped: 1, tries: 0 },
  });
}

/** n threads each bump their own counter k times: every interleaving is equivalent. */
export function independent(n: number, k: number) {
  return programSystem({
    threads: Array.from({ length: n }, (_, i) => ({
      name: `t${i}`,
      code: Array.from({ length: k }, (): Instr[] => [{ op: 'load', v: `c${i}`, r: 0 }, { op: 'store', v: `c${i}`, r: 0, add: 1 }]).flat(),
    })),
    badFinal: (v) => (Object.keys(v).length !== n ? { rule: 'missing', message: 'a counter was never written' } : undefined),
    observed: [],
  });
}

/**
 * A bug that needs no preemption (the reader runs before the writer, non-preemptively) and one
 * that needs a preemption (the writer's two stores interrupted between them).
 */
export function torn() {
  return programSystem({
    threads: [
      { name: 'writer', code: [{ op: 'set', v: 'a', value: 1 }, { op: 'set', v: 'b', value: 1 }] },
      { name: 'reader', code: [{ op: 'load', v: 'a', r: 0 }, { op: 'store', v: 'seenA', r: 0, add: 0 }, { op: 'load', v: 'b', r: 0 }, { op: 'store', v: 'seenB', r: 0, add: 0 }] },
    ],
    vars: { a: 0, b: 0, seenA: 0, seenB: 0 },
    badFinal: (v) => (v.seenA !== v.seenB ? { rule: 'torn-read', message: `reader saw a=${v.seenA} b=${v.seenB}` } : undefined),
    observed: ['seenA', 'seenB'],
  });
}

/** The reader can see the flag unset with no preemption at all (it simply runs first), or with one. */
export function early() {
  return programSystem({
    threads: [
      { name: 'writer', code: [{ op: 'set', v: 'z', value: 1 }, { op: 'set', v: 'x', value: 1 }] },
      { name: 'reader', code: [{ op: 'load', v: 'x', r: 0 }, { op: 'store', v: 'seen', r: 0, add: 0 }] },
    ],
    vars: { x: 0, z: 0, seen: 0 },
    badFinal: (v) => (v.seen === 0 ? { rule: 'early-read', message: 'reader ran before the flag was set' } : undefined),
    observed: ['seen'],
  });
}
