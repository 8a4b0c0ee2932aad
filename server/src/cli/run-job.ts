/**
 * Runs `kpr run` on a worker thread (run-worker.ts) whose young generation is sized for a search.
 * A search allocates a few KB per state, nearly all of it dead within a few states; with V8's
 * default young generation (16 MB semi-spaces in Node 20) much of it survives two scavenges, is
 * promoted, and has to be marked and compacted in the old generation. With 32 MB semi-spaces it
 * dies young. Measured on the invalidate-vs-faults shapes (`node --max-semi-space-size=32` on the
 * main thread, before this moved to a worker, alternating runs): 2x2 6.12/6.20 -> 5.10/5.12 s
 * CPU and 241/245 -> 215/217 MB peak, 3x2 17.9 -> 13.6 s and 284 -> 260 MB. `kpr check`'s
 * seeds, whose searches are short, showed no gain and 30-40 MB more peak with it, so check-job.ts
 * leaves its worker at V8's default.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Io } from './io';
import type { RunCommand, RunOut } from './run-worker';

/** The worker's young generation: V8 sizes it as three semi-spaces, so this is 32 MB ones. */
export const RUN_YOUNG_GENERATION_MB = 96;

export function runOnWorker(cmd: RunCommand, io: Io, workerFile = join(__dirname, 'run-worker.js')): Promise<number> {
  return new Promise<number>((resolve) => {
    let code: number | undefined;
    const worker = new Worker(workerFile, { resourceLimits: { maxYoungGenerationSizeMb: RUN_YOUNG_GENERATION_MB } });
    worker.on('message', (m: RunOut) => {
      if (m.type === 'out') io.out(m.text);
      else if (m.type === 'err') io.err(m.text);
      else if (m.type === 'progress') io.progress(m.line);
      else if (m.type === 'exit') {
        code = m.code;
        void worker.terminate();
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      io.err(`kpr: ${memory ? 'the search ran out of memory' : `internal error: ${err.stack ?? err.message}`}\n`);
      code ??= 2;
    });
    worker.on('exit', () => resolve(code ?? 2));
    worker.postMessage(cmd);
  });
}
