/**
 * The worker thread of `kpr run` (bundled as server/dist/run-worker.js). The command runs here,
 * not on the CLI's main thread, so that its isolate can be given a young generation sized for a
 * search (run-job.ts), which the main thread's cannot be once node has started. Its output
 * crosses back as text, in order, and the command's exit code last.
 */
import { parentPort } from 'node:worker_threads';
import { useEngineAssets } from '../analysis';
import { readEngineAssets } from '../engine-assets';
import type { Command } from './args';
import type { Io } from './io';
import { modelReady, runRun } from './model-commands';

export type RunCommand = Extract<Command, { kind: 'run' }>;

export type RunOut =
  | { type: 'out' | 'err'; text: string }
  | { type: 'progress'; line: string | undefined }
  | { type: 'exit'; code: number };

async function run(cmd: RunCommand, post: (m: RunOut) => void): Promise<number> {
  const io: Io = {
    out: (text) => post({ type: 'out', text }),
    err: (text) => post({ type: 'err', text }),
    progress: (line) => post({ type: 'progress', line }),
  };
  useEngineAssets(readEngineAssets());
  return (await modelReady(io)) ? runRun(cmd, io) : 2;
}

const port = parentPort;
if (port) {
  port.once('message', (cmd: RunCommand) => {
    const post = (m: RunOut) => port.postMessage(m);
    run(cmd, post).then(
      (code) => post({ type: 'exit', code }),
      (err: unknown) => {
        post({ type: 'err', text: `kpr: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n` });
        post({ type: 'exit', code: 2 });
      },
    );
  });
}
