/**
 * The trace view panel: one webview, reused for every run, loading only media/ (trace-state.js,
 * trace.js, trace.css). The run is posted once the page says it is ready; a click on a step comes back as a
 * `reveal` message and is shown in the patch editor, or in the kpr-model: document for model code.
 * It is also the panel's serializer: after a window reload VS Code hands back the page's saved
 * state (state.ts) and the panel comes back with the run and the step the user was on.
 */
import * as vscode from 'vscode';
import type { ScenarioRun, Side } from '../../../server/src/protocol';
import { makeNonce, traceHtml } from './html';
import { restoredShown, TRACE_VIEW_TYPE, type Shown } from './state';

export { TRACE_VIEW_TYPE } from './state';

export class TracePanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  private shown: Shown | undefined;
  private ready = false;
  /** A run the page has not been sent yet (a restored page already holds its own). */
  private pending = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Opens `kpr-model:/<file>` at a 0-based line (shared with the hover links). */
    private readonly openModel: (file: string, line: number) => Promise<void>,
  ) {}

  show(run: ScenarioRun, uri: string, side: Side, step: number): void {
    this.shown = { run, uri, side: run[side] ? side : side === 'post' ? 'pre' : 'post', step };
    this.pending = true;
    const title = `Trace: ${run.scenario}`;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.adopt(vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
        enableScripts: true,
        localResourceRoots: [media],
        retainContextWhenHidden: false,
      }), title);
    } else {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, false);
    }
    if (this.ready) this.post();
  }

  /** VS Code restores a trace view left open before a reload: re-arm it from the page's state. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const shown = restoredShown(state);
    // One trace view at a time, and an empty one (no usable state) has nothing to show.
    if (!shown || this.panel) {
      panel.dispose();
      return;
    }
    this.shown = shown;
    this.pending = false;
    this.adopt(panel, `Trace: ${shown.run.scenario}`);
  }

  /** Loads the page into a panel (new or restored) and listens to it. */
  private adopt(panel: vscode.WebviewPanel, title: string): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    this.panel = panel;
    panel.title = title;
    const webview = panel.webview;
    // Options are not part of what VS Code restores: set them again before loading the page.
    webview.options = { enableScripts: true, localResourceRoots: [media] };
    this.ready = false;
    webview.html = traceHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      stateScriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trace-state.js')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trace.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trace.css')).toString(),
      title,
    });
    webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.ready = false;
    });
  }

  private post(): void {
    const s = this.shown;
    if (!s || !this.panel) return;
    this.pending = false;
    void this.panel.webview.postMessage({ type: 'run', run: s.run, uri: s.uri, side: s.side, step: s.step });
  }

  private async onMessage(m: unknown): Promise<void> {
    const msg = m as { type?: string; side?: Side; step?: number; hasRun?: boolean } | null;
    if (msg?.type === 'ready') {
      this.ready = true;
      // The page reloads whenever it is hidden and shown again; it keeps its run and cursor in
      // its own state, so only a new run, or a page that lost its state, is sent the run.
      if (this.pending || msg.hasRun !== true) this.post();
    } else if (msg?.type === 'reveal' && this.shown && (msg.side === 'pre' || msg.side === 'post') && typeof msg.step === 'number') {
      try {
        await this.reveal(msg.side, msg.step);
      } catch (err) {
        // E.g. a restored view whose patch file has since been moved.
        void vscode.window.showWarningMessage(`Kernel Patch: cannot show step ${msg.step + 1}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Shows a step's source: its range in the patch, or its line in the model library. */
  private async reveal(side: Side, index: number): Promise<void> {
    const s = this.shown!;
    const step = s.run[side]?.steps[index];
    if (!step) return;
    if (step.source === 'model' && step.modelFile !== undefined) {
      await this.openModel(step.modelFile, step.modelLine ?? 0);
      return;
    }
    if (!step.range) return;
    const r = step.range;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(s.uri));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
