/**
 * The job kind `test:counters` (registered on import): n threads, each bumping its own counter k
 * times atomically, and with `shared` also `total = total + 1` as a separate load and store (so
 * updates can be lost). The worker, pool and budget tests run it: a system of known size,
 * (k+1)^n states without reduction, that needs nothing of the domain.
 */
import { registerSystem } from '../../../server/src/explore/registry';
import type { StepResult, System } from '../../../server/src/explore/system';

export interface CountersParams {
  threads: number;
  steps: number;
  shared?: boolean;
}

/** pc per thread: 2 steps per round when shared (load, store), 1 otherwise. */
interface CState {
  pc: number[];
  own: number[];
  reg: number[];
  total: number;
}

export function counters(p: CountersParams): System<CState> {
  const n = Math.max(1, p.threads | 0);
  const k = Math.max(0, p.steps | 0);
  const per = p.shared ? 2 : 1;
  const names = Array.from({ length: n }, (_, i) => `t${i}`);
  const ix = (t: string) => Number(t.slice(1));
  return {
    initial: () => ({ pc: new Array(n).fill(0), own: new Array(n).fill(0), reg: new Array(n).fill(0), total: 0 }),
    threads: () => names,
    done: (s, t) => s.pc[ix(t)] >= k * per,
    enabled: (s, t) => s.pc[ix(t)] < k * per,
    choices: () => 1,
    step: (s, t): StepResult<CState> => {
      const i = ix(t);
      const pc = s.pc.slice();
      pc[i]++;
      if (!p.shared || s.pc[i] % 2 === 1) {
        const own = s.own.slice();
        own[i]++;
        const total = p.shared ? s.reg[i] + 1 : s.total;
        const writes = p.shared ? [`own${i}`, 'total'] : [`own${i}`];
        return { state: { ...s, pc, own, total }, footprint: { reads: [], writes }, progress: true };
      }
      const reg = s.reg.slice();
      reg[i] = s.total;
      return { state: { ...s, pc, reg }, footprint: { reads: ['total'], writes: [] }, progress: true };
    },
    key: (s) => `${s.pc.join(',')}|${s.reg.join(',')}|${s.total}`,
    check: () => [],
    checkFinal: (s) => (p.shared && s.total !== n * k ? [{ rule: 'lost-update', message: `total = ${s.total}, expected ${n * k}` }] : []),
    observed: ['total'],
  };
}

export const COUNTERS_KIND = 'test:counters';
registerSystem(COUNTERS_KIND, (params) => counters(params as CountersParams) as System<unknown>);
