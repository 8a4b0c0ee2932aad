/**
 * The explorer's worker thread. Searches are synchronous, so a `cancel` message would sit in the
 * queue until the search ends; instead each job carries a SharedArrayBuffer flag that the pool
 * sets and the search reads every `checkEvery` states. Messages:
 *   in:  { type: 'run', id, job, flag: SharedArrayBuffer }   { type: 'cancel', id }
 *   out: { type: 'progress', id, progress }   { type: 'result', id, result }   { type: 'error', id, message }
 */
import { parentPort } from 'node:worker_threads';
import { runWork, type Job } from './registry';
import type { Progress } from './search';

export type WorkerIn = { type: 'run'; id: number; job: Job; flag: SharedArrayBuffer } | { type: 'cancel'; id: number };
export type WorkerOut =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string };

const port = parentPort;
if (port) {
  const flags = new Map<number, Int32Array>();
  port.on('message', async (msg: WorkerIn) => {
    if (msg.type === 'cancel') {
      const f = flags.get(msg.id);
      if (f) Atomics.store(f, 0, 1);
      return;
    }
    const flag = new Int32Array(msg.flag);
    flags.set(msg.id, flag);
    const post = (m: WorkerOut) => port.postMessage(m);
    try {
      const signal = { get aborted() { return Atomics.load(flag, 0) !== 0; } };
      // A task may be asynchronous (it waits for the C parser once); searches are not.
      const result = await runWork(msg.job, signal, (progress) => post({ type: 'progress', id: msg.id, progress }));
      post({ type: 'result', id: msg.id, result });
    } catch (e) {
      post({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) });
    } finally {
      flags.delete(msg.id);
    }
  });
}
