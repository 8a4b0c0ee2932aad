/**
 * The LSP features that need the model tier, wired to a RunProvider: code lenses, the
 * `kpr.listScenarios` and `kpr.runScenario` commands, the `kpr/modelSource` request for
 * `kpr-model:` documents, and the model-tier findings merged into diagnostics and hover.
 */
import { join } from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../findings';
import { rulePage } from '../report/rule-page';
import { LIST_SCENARIOS, MODEL_SOURCE_REQUEST, modelPath, RULE_DOC_REQUEST, ruleOfUri, RUN_SCENARIO, type ModelState, type ScenarioInfo } from '../protocol';
import type { ScenarioRun } from '../verdict/scenario-run';
import { verdictSummary } from '../verdict/summary';
import { codeLenses, verdictRules } from './lenses';
import { libraryModelSource, RunCache, type RunDocument, type RunProvider } from './runs';
import type { Analysed } from './scheduler';
import type { Settings } from './settings';

export const RUN_COMMANDS = [LIST_SCENARIOS, RUN_SCENARIO];

export interface RunFeatureDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  provider: RunProvider;
  settings(): Settings;
  /** Workspace folder path, when the client opened one. */
  workspaceRoot(): string | undefined;
  uriToPath(uri: string): string;
  /** The analysis of the document's current version; rejects with RequestCancelled when `token` is cancelled. */
  analysisFor(doc: TextDocument, token?: CancellationToken): Promise<Analysed | undefined>;
  /** Publish diagnostics again for a document (after a run brought new model findings). */
  republish(uri: string): void;
  supportsCodeLensRefresh(): boolean;
}

export class RunFeatures {
  readonly cache = new RunCache();

  constructor(private readonly deps: RunFeatureDeps) {}

  /** What the provider sees: the version and text that were analysed (a prefix under the size bound). */
  runDocument(doc: TextDocument, a: Analysed): RunDocument {
    const settings = this.deps.settings();
    const root = this.deps.workspaceRoot();
    const rd: RunDocument = { uri: doc.uri, path: this.deps.uriToPath(doc.uri), version: a.version, text: a.text, analysis: a.analysis, settings };
    if (settings.userScenarios && root !== undefined) rd.userScenarioFolder = join(root, settings.scenarioFolder);
    return rd;
  }

  /**
   * Static findings plus, when the model tier is on, the provider's findings for this version.
   * Only for the document's current version: asking the provider about an older one would make
   * it cancel the current version's model tier in favour of a stale text.
   */
  findings(doc: TextDocument, a: Analysed): Finding[] {
    const base = a.analysis.findings;
    if (!this.deps.settings().modelTier || !this.deps.provider.findings || a.stopped) return base;
    if (this.deps.documents.get(doc.uri)?.version !== a.version) return base;
    try {
      return [...base, ...this.deps.provider.findings(doc.uri, this.runDocument(doc, a))];
    } catch (err) {
      this.deps.connection.console.error(`kpr: model findings for ${doc.uri} failed: ${String(err)}`);
      return base;
    }
  }

  /** Whether the model tier has answered for this version (off: it never will). */
  modelState(doc: TextDocument, a: Analysed): ModelState {
    if (!this.deps.settings().modelTier || !this.deps.provider.findings || a.stopped) return 'off';
    return this.deps.provider.modelState?.(doc.uri, a.version) ?? 'done';
  }

  /** Scenarios for the document, each with the verdict the model tier has for it; user scenarios only where they are allowed (restricted mode). */
  async scenarios(doc: TextDocument, a: Analysed): Promise<ScenarioInfo[]> {
    const list = await this.deps.provider.scenariosFor(doc.uri, this.runDocument(doc, a));
    const allowed = this.deps.settings().userScenarios ? list : list.filter((s) => !s.user);
    const state = this.modelState(doc, a);
    if (state === 'off') return allowed;
    const findings = this.findings(doc, a);
    return allowed.map((s) => {
      if (!s.applies && !s.user) return s;
      const words = verdictRules(verdictSummary(findings.filter((f) => f.scenario === s.id || f.scenarios?.includes(s.id))));
      return { ...s, verdict: words || (state === 'done' ? 'nothing breaks on either side' : 'analysing…') };
    });
  }

  private async open(uri: unknown, token: CancellationToken): Promise<{ doc: TextDocument; analysed: Analysed }> {
    const doc = typeof uri === 'string' ? this.deps.documents.get(uri) : undefined;
    if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `not an open document: ${String(uri)}`);
    const analysed = await this.deps.analysisFor(doc, token);
    if (!analysed) throw new ResponseError(LSPErrorCodes.ContentModified, `${doc.uri} changed while it was being analysed`);
    return { doc, analysed };
  }

  async execute(command: string, args: unknown[], token: CancellationToken): Promise<ScenarioInfo[] | ScenarioRun> {
    const { doc, analysed } = await this.open(args[0], token);
    if (command === LIST_SCENARIOS) return this.scenarios(doc, analysed);
    if (command !== RUN_SCENARIO) throw new ResponseError(ErrorCodes.MethodNotFound, `unknown command ${command}`);
    const id = args[1];
    if (typeof id !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${RUN_SCENARIO} needs [uri, scenarioId]`);
    const known = await this.scenarios(doc, analysed);
    if (!known.some((s) => s.id === id)) throw new ResponseError(ErrorCodes.InvalidParams, `scenario ${id} is not offered for ${doc.uri}`);
    const version = analysed.version;
    let run: ScenarioRun;
    try {
      run = await this.deps.provider.run(doc.uri, id, token, this.runDocument(doc, analysed));
    } catch (err) {
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, `run of ${id} cancelled`);
      throw err;
    }
    // A run of an older version says nothing about the text now in the editor: return it, keep it out of the lenses.
    if (this.deps.documents.get(doc.uri)?.version === version) {
      this.cache.put(doc.uri, version, run);
      this.deps.republish(doc.uri);
      if (this.deps.supportsCodeLensRefresh()) void this.deps.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }
    return run;
  }

  modelSource(uri: unknown): string | null {
    const path = typeof uri === 'string' ? modelPath(uri) : undefined;
    if (path === undefined) return null;
    return this.deps.provider.modelSource?.(path) ?? libraryModelSource(path) ?? null;
  }

  register(): void {
    const { connection, documents } = this.deps;
    connection.onCodeLens(async (params, token) => {
      const doc = documents.get(params.textDocument.uri);
      const analysed = doc && (await this.deps.analysisFor(doc, token));
      if (!doc || !analysed) return null;
      return codeLenses(doc.uri, { ...analysed.analysis, findings: this.findings(doc, analysed) }, this.modelState(doc, analysed));
    });
    connection.onExecuteCommand((params, token) => this.execute(params.command, params.arguments ?? [], token));
    connection.onRequest(MODEL_SOURCE_REQUEST, (params: { uri?: unknown } | null) => this.modelSource(params?.uri));
    connection.onRequest(RULE_DOC_REQUEST, (params: { uri?: unknown } | null) => {
      const id = typeof params?.uri === 'string' ? ruleOfUri(params.uri) : undefined;
      return (id && rulePage(id)) ?? null;
    });
    documents.onDidClose((e) => this.cache.forget(e.document.uri));
  }
}
