/**
 * Entry point of the `kpr` binary (bundled to server/dist/kpr.js): turns argv into a command and
 * runs it. Only src/cli knows argv and stdout; the language server owns stdio in `kpr lsp`.
 */
import { initAnalysis, useEngineAssets } from '../analysis';
import { readEngineAssets } from '../engine-assets';
import { limitHeapGrowth } from '../heap-growth';
import { limitInlining } from '../inlining-budget';
import { TOOL_VERSION } from '../report/version';
import { parseArgs } from './args';
import { runCheck } from './check';
import type { Io } from './io';
import { modelReady, runScenarios } from './model-commands';
import { runOnWorker } from './run-job';
import { USAGE } from './usage';

const io: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  progress: (line) => { if (process.stderr.isTTY) process.stderr.write(line === undefined ? '\n' : `${line}\r`); },
};

/**
 * A reader that closed our output early (`kpr check ... | head`) is not an error of ours: stop at
 * once, as a C tool killed by SIGPIPE does (status 128 + 13), instead of an unhandled EPIPE's stack
 * trace, and without finishing a search nobody reads. Not under `kpr lsp`, whose connection owns
 * stdio and ends the server when the client goes.
 */
const SIGPIPE_STATUS = 141;
function stopOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(SIGPIPE_STATUS);
      throw err;
    });
  }
}

/**
 * The C parser and the era libraries on this thread, for `check` when it has users' scenarios to
 * check against the libraries' parse (cli/scenarios.ts). A parser that does not load is said on
 * stderr; the documents' own analyses, on the worker, say it again as incompleteness.
 */
async function prepareParser(): Promise<void> {
  useEngineAssets(readEngineAssets());
  try {
    await initAnalysis();
  } catch (err) {
    io.err(`kpr: C parser unavailable, C checks are skipped: ${(err as Error).message}\n`);
  }
}

async function main(argv: readonly string[]): Promise<number | undefined> {
  const cmd = parseArgs(argv);
  if (cmd.kind !== 'lsp') stopOnClosedPipe();
  limitHeapGrowth();
  limitInlining();
  // Every command that analyses here, and the language server (Open Model Source shows the
  // library). `check` and `run` analyse on their workers, which read them themselves: check's
  // main thread wants the libraries only to check the entries of users' scenarios, and loads them
  // then (`prepareParser`).
  if (cmd.kind === 'scenarios' || cmd.kind === 'lsp') useEngineAssets(readEngineAssets());
  switch (cmd.kind) {
    case 'help':
      io.out(USAGE);
      return 0;
    case 'version':
      io.out(`kpr ${TOOL_VERSION}\n`);
      return 0;
    case 'usage-error':
      io.err(`kpr: ${cmd.message}\n\n${USAGE}`);
      return 2;
    case 'check':
      return runCheck(cmd.files, cmd.format, io, cmd.model, cmd.scenarioDir, cmd.bounds, cmd.abi, cmd.memoryModel, prepareParser);
    case 'run':
      // On a worker of its own, for the young generation its search wants (run-job.ts).
      return runOnWorker(cmd, io);
    case 'scenarios':
      return (await modelReady(io)) ? runScenarios(cmd, io) : 2;
    case 'lsp':
      // The server keeps the process alive and ends it on the client's `exit` notification.
      // Imported here, not at the top: no other command pays for loading the LSP libraries.
      (await import('../lsp/server.js')).startServer();
      return undefined;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode rather than exit(): let stdout drain when it is a pipe.
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kpr: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
