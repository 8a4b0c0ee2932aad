// `kpr.abi` reaches both tiers over LSP, and a change of it asks for a new model run: the fixture
// that drops invalidate_inode_pages2_range's (loff_t) casts spins the invalidator under ilp32
// (livelock introduced in invalidate-past-4g) and changes nothing under lp64 (as `kpr check --abi`
// says, test/mutation/abi-shift.test.ts). The document's time bound is raised so that a busy
// machine still searches to the end (an unfinished search is unjudged, and would prove nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, startServer, within } from './client';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'abi', 'uncast-shift.patch');
const TAG = '[introduced, invalidate-past-4g]';

/** Fresh model-tier diagnostics: they name a side, and are not the earlier run's kept as stale. */
const fresh = (d: Diagnostic): boolean => /\((post|pre)\)/.test(String(d.message)) && !(d.data as { stale?: boolean } | undefined)?.stale;
const modelAnswered = (p: PublishDiagnosticsParams): boolean => p.diagnostics.some(fresh) && !p.diagnostics.some((d) => (d.data as { stale?: boolean } | undefined)?.stale);
const spins = (p: PublishDiagnosticsParams): Diagnostic[] => p.diagnostics.filter((d) => d.code === 'livelock' && String(d.message).endsWith(TAG));

test('kpr.abi: ilp32 finds the 32-bit shift\'s endless invalidation; switching to lp64 runs the model again and it is gone', { timeout: 180_000 }, async () => {
  const s = startServer();
  try {
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 20, abi: 'ilp32', bounds: { ms: 150_000 } },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(FIXTURE).toString();
    const ilp32 = s.diagnostics(uri, (p) => modelAnswered(p), 'the model tier under ilp32', 150_000);
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'kernel-patch', version: 1, text: readFileSync(FIXTURE, 'utf8') },
    });
    const first = await ilp32;
    assert.equal(spins(first).length, 1, `one introduced livelock in invalidate-past-4g: ${first.diagnostics.map((d) => String(d.message)).join(' | ')}`);

    const lp64 = s.diagnostics(uri, (p) => modelAnswered(p), 'the model tier under lp64', 150_000);
    await s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { kpr: { abi: 'lp64' } } });
    const second = await lp64;
    assert.deepEqual(spins(second), [], 'under lp64 the shift fits: nothing introduced there');
  } finally {
    s.kill();
  }
});
