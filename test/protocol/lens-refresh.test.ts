// Lenses carry the model tier's verdict, so when that answer arrives the server asks a client
// that can refresh lenses to fetch them again; the lenses it then gets hold the verdict, not
// "analysing…". (Before, VS Code kept the lenses of the static tier until the next edit.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedPath, seedsSkip } from '../support/seeds';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  type CodeLens,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, startServer, within } from './client';

test('the model tier\'s answer asks the client to refresh its lenses, which then carry the verdict', { timeout: 120_000, skip: seedsSkip() }, async () => {
  const s = startServer();
  try {
    let refreshes = 0;
    let refreshed: () => void = () => undefined;
    const firstRefresh = new Promise<void>((resolve) => (refreshed = resolve));
    s.connection.onRequest(CodeLensRefreshRequest.method, () => { refreshes++; refreshed(); return null; });
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { codeLens: { refreshSupport: true } } },
      initializationOptions: { debounceMs: 20 },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
    const seed = seedPath('000');
    const uri = pathToFileURL(join(repoRoot, 'test', 'seed-000.patch')).toString();
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'kernel-patch', version: 1, text: readFileSync(seed, 'utf8') },
    });
    // The model tier's findings arrive as a publication with findings that name a scenario.
    await s.diagnostics(uri, (p) => p.diagnostics.some((d) => d.source === 'kpr' && /\((post|pre)\)/.test(String(d.message))), 'the model tier\'s diagnostics', 90_000);
    await within(10_000, 'a workspace/codeLens/refresh request', firstRefresh);
    const lenses = (await within(30_000, 'code lenses', s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.length > 0, 'the seed has lenses');
    assert.deepEqual(titles.filter((t) => /analysing/.test(t)), [], 'no lens still says analysing once the model tier answered');
    assert.ok(titles.some((t) => /^kpr verdict: .*introduces [1-9]/.test(t)), `the message lens carries the model's verdict: ${titles.join(' | ')}`);
    assert.ok(refreshes >= 1);
  } finally {
    s.kill();
  }
});
