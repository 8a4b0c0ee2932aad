/**
 * The language server (`kpr lsp --stdio`): wires the LSP connection to the analysis facade.
 * Thin on purpose; diagnostics, symbols and hover live in their own files.
 */
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, initAnalysis } from '../analysis';
import { TOOL_NAME, TOOL_VERSION } from '../report/version';
import { toDiagnostics } from './diagnostics';
import { hoverAt } from './hover';
import { Scheduler } from './scheduler';
import { replayFromEnvironment } from './replay';
import { RUN_COMMANDS, RunFeatures } from './run-features';
import { NO_RUNS, type RunProvider } from './runs';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import { documentSymbols } from './symbols';

/** A file URI becomes its path (messages name files the way users know them). */
function uriToPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

/**
 * `provider` is the model tier (scenarios, runs, model findings); without one the server offers
 * no scenarios. KPR_REPLAY_RUNS in the environment replaces it with recorded runs (replay.ts).
 */
export function startServer(provider: RunProvider = NO_RUNS): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let settings: Settings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  let canRefreshLenses = false;
  let canShowProgress = false;
  let workspaceRoot: string | undefined;
  const ready = initAnalysis().catch((err: unknown) => {
    connection.console.error(`kpr: C parser unavailable, C checks are skipped: ${err instanceof Error ? err.message : String(err)}`);
  });
  const replay = replayFromEnvironment();
  if (replay.error) connection.console.error(`kpr: ${replay.error}`);

  const scheduler = new Scheduler({
    analyze: (text, uri) => analyze(text, uriToPath(uri)),
    currentVersion: (uri) => documents.get(uri)?.version,
    publish: (uri, version, analysis) => {
      const doc = documents.get(uri);
      const findings = doc ? runs.findings(doc, analysis) : analysis.findings;
      void connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(findings, uri) });
    },
    logError: (message) => connection.console.error(message),
  });

  /** Publishes a document's diagnostics again (after a run or the model tier brought new findings). */
  function republish(uri: string): void {
    const doc = documents.get(uri);
    const analysis = doc && scheduler.analysisFor(doc);
    if (doc && analysis) void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: toDiagnostics(runs.findings(doc, analysis), uri) });
  }

  const active = replay.provider ?? provider;
  const runs = new RunFeatures({
    connection,
    documents,
    provider: active,
    settings: () => settings,
    workspaceRoot: () => workspaceRoot,
    uriToPath,
    analysisFor: async (doc) => {
      await ready;
      return scheduler.analysisFor(doc);
    },
    republish,
    supportsCodeLensRefresh: () => canRefreshLenses,
  });

  active.attach?.({
    republish,
    log: (message) => connection.console.log(message),
    progress: (title) => {
      if (!canShowProgress) return () => undefined;
      const reporter = connection.window.createWorkDoneProgress().then((r) => { r.begin(title, undefined, undefined, false); return r; }, () => undefined);
      return () => void reporter.then((r) => r?.done());
    },
  });

  /** A bug in a request handler becomes a log message and an empty answer, never a crash. */
  function guarded<T>(what: string, fn: () => T): T | null {
    try {
      return fn();
    } catch (err) {
      connection.console.error(`kpr: ${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return null;
    }
  }

  /** Settings decide which tiers show: publish every open document again under the new ones. */
  function reanalyseAll(): void {
    for (const doc of documents.all()) void ready.then(() => documents.get(doc.uri) && scheduler.schedule(doc));
  }

  async function pullConfiguration(): Promise<void> {
    if (!canPullConfiguration) return;
    try {
      const kpr: unknown = await connection.workspace.getConfiguration('kpr');
      settings = readSettings({ kpr }, settings);
      scheduler.debounceMs = settings.debounceMs;
      reanalyseAll();
    } catch (err) {
      connection.console.warn(`kpr: could not read settings: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions, settings, 'initialization');
    scheduler.debounceMs = settings.debounceMs;
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canShowProgress = params.capabilities.window?.workDoneProgress === true;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspaceRoot = folder && folder.startsWith('file:') ? uriToPath(folder) : undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Kernel patch' },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: RUN_COMMANDS },
      },
      serverInfo: { name: TOOL_NAME, version: TOOL_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kpr' }).catch(() => undefined);
      void pullConfiguration();
    }
  });

  connection.onDidChangeConfiguration((change) => {
    if (canPullConfiguration) void pullConfiguration();
    else {
      settings = readSettings(change.settings, settings);
      scheduler.debounceMs = settings.debounceMs;
      reanalyseAll();
    }
  });

  // Fires on open and on every change. Analysis waits for the C parser once; edits that arrive
  // meanwhile just restart the timer.
  documents.onDidChangeContent((e) => void ready.then(() => documents.get(e.document.uri) && scheduler.schedule(e.document)));
  documents.onDidClose((e) => {
    scheduler.forget(e.document.uri);
    active.forget?.(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDocumentSymbol(async (params) => {
    await ready;
    const doc = documents.get(params.textDocument.uri);
    const analysis = doc && scheduler.analysisFor(doc);
    return analysis ? guarded('outline', () => documentSymbols(analysis.document, analysis.functions)) : null;
  });

  connection.onHover(async (params) => {
    await ready;
    const doc = documents.get(params.textDocument.uri);
    const analysis = doc && scheduler.analysisFor(doc);
    if (!doc || !analysis) return null;
    // Hover sees the model-tier findings too: their race windows are what it explains.
    return guarded('hover', () => hoverAt({ ...analysis, findings: runs.findings(doc, analysis) }, params.position.line, doc.uri));
  });

  runs.register();
  connection.onShutdown(async () => {
    scheduler.dispose();
    await active.dispose?.();
  });

  documents.listen(connection);
  connection.listen();
}
