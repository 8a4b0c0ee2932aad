// The language server's model tier measured from the outside (issue 15 item 4): didOpen of a seed
// → the `kpr/verdict` notification that says its model tier is done (the publication that carries
// the model-tier diagnostics goes out just before it). A fresh server per run, so every run pays
// the same warm-up; the machine's load average is printed beside the figures, since on the shared
// 2-core machine it moves them more than anything the server does.
//   node --import tsx bench/lsp-model.ts [seed prefix, default 000] [runs, default 3]
// Needs the bundle (`node scripts/build.mjs`).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, InitializedNotification, InitializeRequest, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol/node';
import { VERDICT_NOTIFICATION, type VerdictParams } from '../server/src/protocol';
import { repoRoot, startServer, within } from '../test/protocol/client';
import { seedPath } from '../test/support/seeds';

async function once(text: string, prefix: string): Promise<{ staticMs: number; modelMs: number }> {
  const s = startServer();
  try {
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(join(repoRoot, 'bench', `seed-${prefix}.model.patch`)).href;
    let staticMs = NaN;
    const done = new Promise<number>((resolve) => {
      s.connection.onNotification(VERDICT_NOTIFICATION, (p: VerdictParams) => {
        if (p.uri !== uri) return;
        if (Number.isNaN(staticMs)) staticMs = performance.now() - t0;
        if (p.model === 'done') resolve(performance.now() - t0);
      });
    });
    const t0 = performance.now();
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kernel-patch', version: 1, text } });
    const modelMs = await within(600_000, 'the model tier', done);
    await within(10_000, 'shutdown', s.connection.sendRequest(ShutdownRequest.type));
    await s.connection.sendNotification(ExitNotification.type);
    return { staticMs, modelMs };
  } finally {
    s.kill();
  }
}

async function main(): Promise<void> {
  const prefix = process.argv[2] ?? '000';
  const runs = Number(process.argv[3] ?? 3);
  const text = readFileSync(seedPath(prefix), 'utf8');
  console.log(`seed ${prefix}: didOpen → static diagnostics, → model tier done (ms), fresh server per run, debounceMs 0`);
  for (let i = 0; i < runs; i++) {
    const before = loadavg()[0]!;
    const r = await once(text, prefix);
    console.log(`  run ${i + 1}: static ${r.staticMs.toFixed(0).padStart(6)}  model ${r.modelMs.toFixed(0).padStart(7)}  (load average ${before.toFixed(2)} → ${loadavg()[0]!.toFixed(2)})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
