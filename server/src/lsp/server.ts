/**
 * The language server (`kpr lsp --stdio`): wires the LSP connection to the analysis facade.
 * Thin on purpose; diagnostics, symbols and hover live in their own files. The static tier and
 * the scenario listing run on the static workers (static-pool.ts), the model tier on the
 * provider's: this thread parses messages, keeps the texts and answers from results, and never
 * loads the C parser.
 */
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  CodeActionKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TOOL_NAME, TOOL_VERSION } from '../report/version';
import { codeActions } from './code-actions';
import { toDiagnostics } from './diagnostics';
import { hoverAt } from './hover';
import { Scheduler, type Analysed } from './scheduler';
import { replayFromEnvironment } from './replay';
import { RUN_COMMANDS, RunFeatures } from './run-features';
import { ModelProvider } from './model-provider';
import type { RunProvider } from './runs';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import { DEFAULT_STATIC_BOUNDS, readStaticBounds, type StaticBounds } from './static-bounds';
import { StaticPool } from './static-pool';
import { documentSymbols } from './symbols';
import { VERDICT_NOTIFICATION } from '../protocol';
import { verdictParams } from './verdict-view';
import { tierInput } from '../worker/model-tasks';

/** A file URI becomes its path (messages name files the way users know them). */
function uriToPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

/**
 * `provider` is the model tier (scenarios, runs, model findings): by default the one on the
 * engine's workers (model-provider.ts), so the surface that starts the server need not know it.
 * KPR_REPLAY_RUNS in the environment replaces it with recorded runs (replay.ts).
 */
export function startServer(provider: RunProvider = new ModelProvider()): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let settings: Settings = DEFAULT_SETTINGS;
  let bounds: StaticBounds = DEFAULT_STATIC_BOUNDS;
  let canPullConfiguration = false;
  let canRefreshLenses = false;
  let canShowProgress = false;
  /** Whether hovers may carry `command:` links: only the VS Code client runs them (and says so). */
  let commandLinks = false;
  let workspaceRoot: string | undefined;
  const replay = replayFromEnvironment();
  if (replay.error) connection.console.error(`kpr: ${replay.error}`);

  const pool = new StaticPool({ log: (message) => connection.console.log(message) });
  const scheduler = new Scheduler({
    backend: pool,
    currentVersion: (uri) => documents.get(uri)?.version,
    publish: (uri, analysed) => send(uri, analysed),
    path: uriToPath,
    bounds: () => bounds,
    abi: () => settings.abi,
    logError: (message) => connection.console.error(message),
  });

  /** Per document, what its lenses last showed (model state, how many findings): a change asks for a lens refresh. */
  const lensState = new Map<string, string>();

  /**
   * Findings of both tiers, then the notes of any bound that cut the analysis short; and the
   * verdict at a glance (`kpr/verdict`) for the client's status bar and Patch Verdict view.
   */
  function send(uri: string, a: Analysed): void {
    const doc = documents.get(uri);
    const findings = doc ? runs.findings(doc, a) : a.analysis.findings;
    void connection.sendDiagnostics({ uri, version: a.version, diagnostics: [...toDiagnostics(findings, uri), ...a.notes] });
    const model = doc ? runs.modelState(doc, a) : 'off';
    void connection.sendNotification(VERDICT_NOTIFICATION, verdictParams(uri, a.version, model, { document: a.analysis.document, findings }));
    // Lenses carry the model tier's verdict: when its answer arrives (or goes stale), ask the
    // client for them again; it would otherwise keep the "analysing…" ones until the next edit.
    const lensKey = `${model}:${findings.length}`;
    if (lensState.get(uri) !== lensKey) {
      lensState.set(uri, lensKey);
      if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }
  }

  /** Publishes a document's diagnostics again (after a run or the model tier brought new findings). */
  function republish(uri: string): void {
    const doc = documents.get(uri);
    const analysed = doc && scheduler.cached(doc);
    if (analysed) send(uri, analysed);
  }

  const active = replay.provider ?? provider;
  const runs = new RunFeatures({
    connection,
    documents,
    provider: active,
    settings: () => settings,
    workspaceRoot: () => workspaceRoot,
    uriToPath,
    analysisFor: (doc, token) => scheduler.analysisFor(doc, token),
    republish,
    supportsCodeLensRefresh: () => canRefreshLenses,
  });

  active.attach?.({
    republish,
    log: (message) => connection.console.log(message),
    // On a static worker: planning lowers the era library, hundreds of ms the first time. It plans
    // the version's analysis (the provider hands it over), never analyses the text again.
    listScenarios: async (doc, extra) => {
      const req = { uri: doc.uri, version: doc.version, label: `${doc.uri} v${doc.version} (scenarios)`, text: doc.text, path: doc.path, maxMs: bounds.maxMs };
      const o = await pool.analyse(req, { list: { analysis: tierInput(doc.analysis), extra } }).result;
      if (o.kind === 'listed') return new Map(o.listing.map((l) => [l.id, l.applies]));
      if (o.kind === 'stopped') connection.console.error(`kpr: scenarios of ${doc.uri} could not be listed: ${o.reason}${o.detail ? ` (${o.detail})` : ''}`);
      return undefined;
    },
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

  /** Settings decide which tiers show and the static bounds: publish every open document again under the new ones. */
  function reanalyseAll(): void {
    for (const doc of documents.all()) scheduler.schedule(doc);
  }

  async function pullConfiguration(): Promise<void> {
    if (!canPullConfiguration) return;
    try {
      const kpr: unknown = await connection.workspace.getConfiguration('kpr');
      settings = readSettings({ kpr }, settings);
      bounds = readStaticBounds({ kpr }, bounds);
      scheduler.debounceMs = settings.debounceMs;
      reanalyseAll();
    } catch (err) {
      connection.console.warn(`kpr: could not read settings: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions, settings, 'initialization');
    bounds = readStaticBounds(params.initializationOptions, bounds);
    scheduler.debounceMs = settings.debounceMs;
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canShowProgress = params.capabilities.window?.workDoneProgress === true;
    commandLinks = (params.initializationOptions as { commandLinks?: unknown } | null | undefined)?.commandLinks === true;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspaceRoot = folder && folder.startsWith('file:') ? uriToPath(folder) : undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Kernel patch' },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
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
      bounds = readStaticBounds(change.settings, bounds);
      scheduler.debounceMs = settings.debounceMs;
      reanalyseAll();
    }
  });

  // Fires on open and on every change: restart the document's debounce timer.
  documents.onDidChangeContent((e) => scheduler.schedule(e.document));
  documents.onDidClose((e) => {
    scheduler.forget(e.document.uri);
    active.forget?.(e.document.uri);
    lensState.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDocumentSymbol(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    const a = doc && (await scheduler.analysisFor(doc, token));
    return a ? guarded('outline', () => documentSymbols(a.analysis.document, a.analysis.functions)) : null;
  });

  connection.onHover(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    const a = doc && (await scheduler.analysisFor(doc, token));
    if (!doc || !a) return null;
    // Hover sees the model-tier findings too: their race windows are what it explains.
    return guarded('hover', () => hoverAt({ ...a.analysis, findings: runs.findings(doc, a) }, params.position.line, doc.uri, commandLinks));
  });

  connection.onCodeAction(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    const a = doc && (await scheduler.analysisFor(doc, token));
    if (!doc || !a || a.version !== doc.version) return null;
    return guarded('code actions', () => codeActions(doc.uri, a.analysis.document.lines, a.analysis.findings, params.range, params.context.diagnostics));
  });

  runs.register();
  connection.onShutdown(async () => {
    scheduler.dispose();
    await Promise.all([pool.dispose(), active.dispose?.()]);
  });

  documents.listen(connection);
  connection.listen();
}
