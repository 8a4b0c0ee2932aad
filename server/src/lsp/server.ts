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

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let settings: Settings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  const ready = initAnalysis().catch((err: unknown) => {
    connection.console.error(`kpr: C parser unavailable, C checks are skipped: ${err instanceof Error ? err.message : String(err)}`);
  });

  const scheduler = new Scheduler({
    analyze: (text, uri) => analyze(text, uriToPath(uri)),
    currentVersion: (uri) => documents.get(uri)?.version,
    publish: (uri, version, analysis) => void connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(analysis.findings, uri) }),
    logError: (message) => connection.console.error(message),
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

  async function pullConfiguration(): Promise<void> {
    if (!canPullConfiguration) return;
    try {
      const kpr: unknown = await connection.workspace.getConfiguration('kpr');
      settings = readSettings({ kpr }, settings);
      scheduler.debounceMs = settings.debounceMs;
    } catch (err) {
      connection.console.warn(`kpr: could not read settings: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions, settings);
    scheduler.debounceMs = settings.debounceMs;
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Kernel patch' },
        hoverProvider: true,
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
    }
  });

  // Fires on open and on every change. Analysis waits for the C parser once; edits that arrive
  // meanwhile just restart the timer.
  documents.onDidChangeContent((e) => void ready.then(() => documents.get(e.document.uri) && scheduler.schedule(e.document)));
  documents.onDidClose((e) => {
    scheduler.forget(e.document.uri);
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
    return analysis ? guarded('hover', () => hoverAt(analysis, params.position.line)) : null;
  });

  connection.onShutdown(() => scheduler.dispose());

  documents.listen(connection);
  connection.listen();
}
