/**
 * The client's commands: `kpr.runScenario` (quick pick, progress, trace view), `kpr.showTrace`
 * (the hover's link: the trace view at a step, running the scenario first if needed) and
 * `kpr.openModel` (a model library file at a line), plus the `kpr-model:` documents they open and
 * the `kpr-rule:` pages a diagnostic's code links to (shown rendered in the Markdown preview).
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { LIST_SCENARIOS, MODEL_SCHEME, MODEL_SOURCE_REQUEST, OPEN_MODEL, RULE_DOC_REQUEST, RULE_SCHEME, RUN_SCENARIO, SHOW_TRACE, type ScenarioInfo, type ScenarioRun, type Side } from '../../server/src/protocol';
import type { StatusItem } from './status';
import { TRACE_VIEW_TYPE, TracePanel } from './trace/panel';



export class Commands implements vscode.Disposable {
  /** The last run of each scenario per document, for the hover's trace links. */
  private readonly runs = new Map<string, ScenarioRun>();
  readonly panel: TracePanel;

  constructor(
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly status: StatusItem,
  ) {
    this.panel = new TracePanel(extensionUri, (file, line) => this.openModel(file, line));
  }

  register(): vscode.Disposable[] {
    return [
      vscode.workspace.registerTextDocumentContentProvider(MODEL_SCHEME, {
        provideTextDocumentContent: async (uri) => {
          const text = await this.client.sendRequest<string | null>(MODEL_SOURCE_REQUEST, { uri: uri.toString() });
          return text ?? `/* ${uri.path.slice(1)}: no such model library file */\n`;
        },
      }),
      // The page about a rule that a diagnostic's code links to (kpr-rule:/<id>.md).
      vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, {
        provideTextDocumentContent: async (uri) => {
          const text = await this.client.sendRequest<string | null>(RULE_DOC_REQUEST, { uri: uri.toString() });
          return text ?? `${uri.path.slice(1)}: no such rule\n`;
        },
      }),
      // A rule page is Markdown: show it rendered (the diagnostic's code link opens it as text).
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.uri.scheme === RULE_SCHEME) void this.renderRulePage(editor.document.uri);
      }),
      vscode.commands.registerCommand(SHOW_TRACE, (...args: unknown[]) => this.showTrace(args)),
      vscode.commands.registerCommand(OPEN_MODEL, (file: unknown, line: unknown) =>
        typeof file === 'string' ? this.openModel(file, typeof line === 'number' ? line : 0) : undefined),
      // A run of an older text no longer matches the hover's lines: run again when asked.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const prefix = `${e.document.uri.toString()}#`;
        for (const key of [...this.runs.keys()]) if (key.startsWith(prefix)) this.runs.delete(key);
      }),
      // A trace view left open comes back after a window reload (onWebviewPanel:kpr.trace activates us).
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, this.panel),
      this.panel,
    ];
  }

  /** Opens the rule page in the Markdown preview, in place of its text tab. */
  private async renderRulePage(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  private execute<T>(command: string, args: unknown[], token?: vscode.CancellationToken): Promise<T> {
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token) as Promise<T>;
  }

  /** The uri the command is about: its argument, else the active editor's document. */
  private target(arg: unknown): string | undefined {
    if (typeof arg === 'string') return arg;
    if (arg instanceof vscode.Uri) return arg.toString();
    return vscode.window.activeTextEditor?.document.uri.toString();
  }

  /** `kpr.runScenario [uri, scenarioId]`: both optional (palette, editor title menu); code lenses pass both. */
  async runScenario(args: unknown[]): Promise<ScenarioRun | undefined> {
    const uri = this.target(args[0]);
    if (!uri) {
      void vscode.window.showWarningMessage('Kernel Patch: open a patch to run a scenario on it.');
      return undefined;
    }
    const id = typeof args[1] === 'string' ? args[1] : await this.pickScenario(uri);
    if (!id) return undefined;
    this.status.setRunning(id);
    try {
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Kernel Patch: running ${id} on the pre- and post-patch code`, cancellable: true },
        (_progress, token) => this.execute<ScenarioRun>(RUN_SCENARIO, [uri, id], token),
      );
      this.runs.set(`${uri}#${id}`, run);
      // -1: each side opens at its race window (media/trace.js), not at step 1 of a long prologue.
      this.panel.show(run, uri, 'post', -1);
      return run;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!/cancel/i.test(message)) void vscode.window.showErrorMessage(`Kernel Patch: ${id} failed: ${message}`);
      return undefined;
    } finally {
      this.status.setRunning(undefined);
    }
  }

  private async pickScenario(uri: string): Promise<string | undefined> {
    const listed = await this.execute<ScenarioInfo[]>(LIST_SCENARIOS, [uri]);
    // The server already drops user scenarios in restricted mode; checking again costs nothing.
    const offered = listed.filter((s) => (s.user ? vscode.workspace.isTrusted : s.applies));
    if (offered.length === 0) {
      void vscode.window.showInformationMessage('Kernel Patch: no scenario reaches a function this patch changes.');
      return undefined;
    }
    const items = offered.map((s) => ({
      label: s.id,
      description: s.verdict,
      detail: `${s.title}${s.user ? ' (user scenario)' : ''}`,
      id: s.id,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: 'Kernel Patch: Run Scenario', placeHolder: 'Scenario to run on the pre- and post-patch code', matchOnDescription: true, matchOnDetail: true });
    return picked?.id;
  }

  /** `kpr.showTrace [uri, scenario, side, step]`, the hover's link. */
  private async showTrace(args: unknown[]): Promise<void> {
    const [uri, scenario, side, step] = args;
    if (typeof uri !== 'string' || typeof scenario !== 'string') return;
    const run = this.runs.get(`${uri}#${scenario}`) ?? (await this.runScenario([uri, scenario]));
    if (!run) return;
    this.panel.show(run, uri, (side === 'pre' ? 'pre' : 'post') satisfies Side, typeof step === 'number' ? step : 0);
  }

  async openModel(file: string, line: number): Promise<void> {
    const uri = vscode.Uri.from({ scheme: MODEL_SCHEME, path: `/${file}` });
    let doc = await vscode.workspace.openTextDocument(uri);
    // A line a later layer wrote by a diff opens in that layer's `.c.patch`, at its `+` line.
    const language = file.endsWith('.patch') ? 'diff' : 'c';
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    const at = new vscode.Range(line, 0, line, 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: true, selection: at });
  }

  dispose(): void {
    this.runs.clear();
  }
}
