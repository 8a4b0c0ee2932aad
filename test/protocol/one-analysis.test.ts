// One analysis per document version (issue 15 item 4): the static tier's worker analyses a
// version once, and the scenario listing, the model tier, a scenario run, hover, outline, lenses
// and code actions all use that analysis. The server runs with KPR_TRACE_ANALYSES=1, under which
// every worker task that made analyses says so on the log channel (lsp/analysis-trace.ts); the
// tasks count `analyze` calls themselves, so an analysis made anywhere shows. A seed-like patch
// goes in, every feature is used on two versions and on a reopened document, and the trace lines
// are the whole output checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { LIST_SCENARIOS, RUN_SCENARIO, VERDICT_NOTIFICATION, type ScenarioInfo, type VerdictParams } from '../../server/src/protocol';
import type { ScenarioRun } from '../../server/src/verdict/scenario-run';
import { repoRoot, startServer, within } from './client';

const TRACE = /^kpr: \d+ analys[ie]s by the /;

const uri = pathToFileURL(join(repoRoot, 'test', 'one-analysis.patch')).href;

test('each document version is analysed once, whatever the features asked of it', { timeout: 600_000 }, async () => {
  const s = startServer({ KPR_TRACE_ANALYSES: '1' });
  try {
    const trace: string[] = [];
    s.connection.onNotification(LogMessageNotification.type, (p) => { if (TRACE.test(p.message)) trace.push(p.message); });
    /** Resolves when the model tier of `version` is done (its `kpr/verdict` follows the publication that carries its findings). */
    const waiting: { version: number; resolve: () => void }[] = [];
    s.connection.onNotification(VERDICT_NOTIFICATION, (p: VerdictParams) => {
      if (p.uri !== uri || p.model !== 'done') return;
      for (const w of waiting.filter((x) => x.version === p.version)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(); }
    });
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {},
      // Small search bounds keep the model tier and the run short: what is counted is analyses, not states.
      initializationOptions: { debounceMs: 20, bounds: { states: 500 } },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});

    const text = readFileSync(join(repoRoot, 'examples', 'fault-skips-truncate-recheck.patch'), 'utf8');
    /** The diagnostics of `version` once its model tier is done: the last publication for it. */
    const modelDone = async (version: number): Promise<Diagnostic[]> => {
      await within(240_000, `the model tier of v${version}`, new Promise<void>((resolve) => waiting.push({ version, resolve })));
      const pub = s.published.filter((p) => p.uri === uri && p.version === version).pop();
      assert.ok(pub, `v${version} was published`);
      return pub.diagnostics;
    };
    /** Every feature that reads a document's analysis, once. */
    const useEverything = async (diagnostics: Diagnostic[]): Promise<void> => {
      const model = diagnostics.find((d) => (d.data as { tier?: string } | undefined)?.tier === 'model');
      assert.ok(model, 'the model tier found something to hover over');
      const at = { textDocument: { uri }, position: model.range.start };
      await within(30_000, 'hover', s.connection.sendRequest(HoverRequest.type, at));
      await within(30_000, 'outline', s.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }));
      await within(30_000, 'lenses', s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }));
      await within(30_000, 'code actions', s.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: model.range, context: { diagnostics } }));
      const list = (await within(60_000, 'the scenario listing', s.connection.sendRequest(ExecuteCommandRequest.type, { command: LIST_SCENARIOS, arguments: [uri] }))) as ScenarioInfo[];
      const applies = list.find((x) => x.applies);
      assert.ok(applies, 'some scenario applies');
      const run = (await within(120_000, 'a run', s.connection.sendRequest(ExecuteCommandRequest.type, { command: RUN_SCENARIO, arguments: [uri, applies.id] }))) as ScenarioRun;
      assert.equal(run.scenario, applies.id);
    };

    const opened = modelDone(1);
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kernel-patch', version: 1, text } });
    await useEverything(await opened);

    // An edit of the message (line 2 is the mail's subject): one more version, one more analysis.
    const edited = modelDone(2);
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 9 } }, text: ' [v2]' }],
    });
    await useEverything(await edited);

    // Closing frees the document's analysis: opened again (as version 1 once more), it is analysed anew.
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    const reopened = modelDone(1);
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kernel-patch', version: 1, text } });
    await useEverything(await reopened);

    assert.deepEqual(trace, [
      `kpr: 1 analysis by the static tier of ${uri} v1`,
      `kpr: 1 analysis by the static tier of ${uri} v2`,
      `kpr: 1 analysis by the static tier of ${uri} v1`,
    ]);
  } finally {
    s.kill();
  }
});
