/**
 * How far V8 lets the heap grow past what the last full collection kept (issue 13: peak memory).
 * Left to itself V8 grows it up to fourfold while the mutator allocates fast, and a search
 * allocates fast (every step copies what it writes) while keeping little (its visited set): the
 * 2x2 invalidate-vs-faults shape peaked near 500 MB with 90-130 MB alive. At 1.5x it peaks near
 * 230 MB for a few percent more CPU (the collector runs more often); at 1.2x the CPU cost grew.
 * Measured with `/usr/bin/time` on `kpr run` (figures in ARCHITECTURE.md).
 *
 * Process-wide (V8 flags are), so worker threads started afterwards share it. V8 reads this flag
 * each time it sizes the heap, so setting it at start-up takes effect; Node warns that flags set
 * after start may do nothing, which would only leave the default growth.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
