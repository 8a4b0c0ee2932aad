/**
 * Random small programs for the explorer's property tests: 2-3 threads of 1-4 instructions over
 * two variables and two locks, with a state rule (`a` reaches 2) and a final one (`b` ends other
 * than 1), so that every strategy has something to find or to miss.
 */
import fc from 'fast-check';
import { programSystem, type Instr } from './programs';

const v = fc.constantFrom('a', 'b');
const l = fc.constantFrom('m', 'n');
const instr: fc.Arbitrary<Instr> = fc.oneof(
  fc.record({ op: fc.constant('load' as const), v, r: fc.constant(0) }),
  fc.record({ op: fc.constant('store' as const), v, r: fc.constant(0), add: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('set' as const), v, value: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('pick' as const), v }),
  fc.record({ op: fc.constant('lock' as const), l }),
  fc.record({ op: fc.constant('unlock' as const), l }),
  fc.record({ op: fc.constant('jump' as const), v, cmp: fc.constantFrom('eq' as const, 'lt' as const), value: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 3 }) }),
);

/** The threads' code. */
export const randomPrograms = fc.array(fc.array(instr, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 });

/** A system running those threads; `pending` false leaves blocked threads' footprints out. */
export const randomSystem = (codes: Instr[][], pending = true) => programSystem({
  threads: codes.map((code, i) => ({ name: `T${i}`, code })),
  vars: { a: 0, b: 0 },
  bad: (x) => (x.a === 2 ? { rule: 'a-is-2', message: 'a reached 2' } : undefined),
  badFinal: (x) => (x.b !== 1 ? { rule: 'b-not-1', message: 'b ends other than 1' } : undefined),
  observed: ['a'],
  noPending: !pending,
});
