/**
 * How much TurboFan inlines into one optimised function (issue 13: the cost of `kpr check`
 * outside the searches). The search's loop functions (`arrive` in explore/dpor.ts and
 * explore/bounded.ts, the model's `step`) inline the whole model step at V8's default budget
 * (920 bytes of bytecode in all), and every search of a `kpr check` meets new object shapes
 * (another scenario's state, another side's program), deoptimises them and compiles them again:
 * on seed 000 `arrive` was compiled 10 times at 30-110 ms each, and the compiler threads took
 * about 1.2 of the process's 3 CPU seconds. At a quarter of the budget each compile is smaller:
 * seeds 000/002/003 took 10-14% less CPU, the 1x2 invalidate-vs-faults shape 10% less and 2x2
 * the same (alternating runs of the built CLI, `node --max-inlined-bytecode-size-cumulative=N`;
 * 115 was no better than 230). Process-wide, as V8 flags are: worker threads started afterwards
 * compile under it too. V8 reads it at each compile, so setting it at start-up takes effect.
 */
import { setFlagsFromString } from 'node:v8';

export const INLINED_BYTECODE_CUMULATIVE = 230;

export function limitInlining(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_CUMULATIVE}`);
}
