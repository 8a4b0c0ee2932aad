// Untrusted workspaces: the VS Code client starts the server with `userScenarios: false` when the
// workspace is not trusted, and then no scenario from the workspace's .kpr/scenarios folder may be
// listed or run. The first two groups use a temporary workspace holding one valid user scenario
// and the bundle as `kpr lsp` starts it (with its real model tier); the last group uses the replay
// provider, which offers a user scenario through a recorded list.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, startServer, within, type Session } from '../protocol/client';
import type { ScenarioInfo } from '../../server/src/protocol';

const USER_ID = 'user-probe';
let workspace: string;
let patchUri: string;

/** A workspace folder with .kpr/scenarios/user-probe.json (valid) and a patch the scenario reaches. */
function makeWorkspace(): void {
  workspace = mkdtempSync(join(tmpdir(), 'kpr-restricted-'));
  const scenario = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'scenarios', 'good', 'zz-truncate-twice.json'), 'utf8')) as Record<string, unknown>;
  scenario.id = USER_ID;
  mkdirSync(join(workspace, '.kpr', 'scenarios'), { recursive: true });
  writeFileSync(join(workspace, '.kpr', 'scenarios', `${USER_ID}.json`), JSON.stringify(scenario, null, 2));
  const patch = join(workspace, 'probe.patch');
  writeFileSync(patch, readFileSync(join(repoRoot, 'examples', 'invalidate-recheck.patch'), 'utf8'));
  patchUri = pathToFileURL(patch).href;
}

async function session(initializationOptions: object): Promise<Session> {
  const s = startServer();
  await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    capabilities: {},
    initializationOptions,
  }));
  await s.connection.sendNotification(InitializedNotification.type, {});
  const first = s.diagnostics(patchUri, () => true, 'first diagnostics');
  await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: patchUri, languageId: 'kernel-patch', version: 1, text: readFileSync(new URL(patchUri), 'utf8') },
  });
  await first;
  return s;
}

function command<T>(s: Session, name: string, args: unknown[]): Promise<T> {
  return within(30_000, name, s.connection.sendRequest(ExecuteCommandRequest.type, { command: name, arguments: args })) as Promise<T>;
}

before(makeWorkspace);
after(() => workspace && rmSync(workspace, { recursive: true, force: true }));

describe('trusted workspace (userScenarios left at its default)', () => {
  let s: Session;
  before(async () => (s = await session({ debounceMs: 10 })));
  after(() => s?.kill());

  test('the workspace scenario is listed, marked as a user scenario', async () => {
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [patchUri]);
    assert.ok(list.some((x) => x.id === USER_ID && x.user === true), JSON.stringify(list));
  });
});

describe('untrusted workspace (initializationOptions.userScenarios: false)', () => {
  let s: Session;
  before(async () => (s = await session({ debounceMs: 10, userScenarios: false })));
  after(() => s?.kill());

  test('the workspace scenario is not listed', async () => {
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [patchUri]);
    assert.ok(Array.isArray(list), 'kpr.listScenarios answers with a list');
    assert.deepEqual(list.filter((x) => x.id === USER_ID || x.user === true), []);
  });

  test('running the workspace scenario by its id is refused', async () => {
    await assert.rejects(command(s, 'kpr.runScenario', [patchUri, USER_ID]), /not offered/);
  });
});

describe('untrusted workspace with recorded runs standing in for the model tier (KPR_REPLAY_RUNS)', () => {
  // The replay fixture offers a user scenario, so here the filtering is observable, not vacuous.
  const ux = join(repoRoot, 'test', 'fixtures', 'ux');
  const uri = pathToFileURL(join(ux, 'dio-fault.patch')).href;
  let s: Session;

  before(async () => {
    const saved = process.env.KPR_REPLAY_RUNS;
    process.env.KPR_REPLAY_RUNS = join(ux, 'replay.json'); // inherited by the spawned server
    try {
      s = startServer();
    } finally {
      if (saved === undefined) delete process.env.KPR_REPLAY_RUNS;
      else process.env.KPR_REPLAY_RUNS = saved;
    }
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(ux).href, capabilities: {}, initializationOptions: { debounceMs: 10, userScenarios: false },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'kernel-patch', version: 1, text: readFileSync(join(ux, 'dio-fault.patch'), 'utf8') },
    });
  });
  after(() => s?.kill());

  test('built-in scenarios are listed, the user one is not', async () => {
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [uri]);
    assert.ok(list.length > 0, 'the recorded built-in scenarios are offered');
    assert.deepEqual(list.filter((x) => x.user === true), []);
  });

  test('a configuration change from the workspace cannot switch user scenarios back on', async () => {
    // A client without workspace/configuration support pushes settings; a workspace's settings.json holds what it likes.
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kpr: { userScenarios: true, debounceMs: 10 } } });
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [uri]);
    assert.deepEqual(list.filter((x) => x.user === true), []);
  });
});
