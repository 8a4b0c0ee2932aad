// A real LSP client over stdio for the protocol tests: spawns `kpr lsp --stdio` from the bundle
// and records what the server publishes. Every wait is bounded so a broken server fails fast.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  PublishDiagnosticsNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = join(__dirname, '..', '..');
const bundle = join(repoRoot, 'server', 'dist', 'kpr.js');
const fixtures = join(repoRoot, 'test', 'fixtures', 'protocol');

export function fixture(name: string): { uri: string; text: string } {
  const path = join(fixtures, name);
  return { uri: pathToFileURL(path).href, text: readFileSync(path, 'utf8') };
}

/** Rejects after `ms` so that no test can hang on a silent server. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Session {
  child: ChildProcessWithoutNullStreams;
  connection: ProtocolConnection;
  stderr: () => string;
  /** Resolves with the next publishDiagnostics for `uri` that satisfies `accept`. */
  diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, what: string, ms?: number): Promise<PublishDiagnosticsParams>;
  /** Every publishDiagnostics received so far, in order. */
  published: PublishDiagnosticsParams[];
  exited: Promise<number | null>;
  kill(): void;
}

/** `env`: variables added to the server's environment (e.g. KPR_TRACE_ANALYSES). */
export function startServer(env: Record<string, string> = {}): Session {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run "node scripts/build.mjs" first`);
  const child = spawn(process.execPath, [bundle, 'lsp', '--stdio'], { cwd: repoRoot, stdio: 'pipe', env: { ...process.env, ...env } });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));

  // Every publication is kept, so a wait that starts late still sees what came before it.
  const seen: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void}[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    seen.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onError(() => undefined);
  connection.listen();

  return {
    child,
    connection,
    stderr: () => err,
    diagnostics(uri, accept, what, ms = 10_000) {
      return within(ms, what, new Promise((resolve) => waiters.push({ uri, accept, resolve})));
    },
    published: seen,
    exited,
    kill() {
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}
