/**
 * The trace view panel: one webview, reused for every run, loading only media/ (trace.js,
 * trace.css). The run is posted once the page says it is ready; a click on a step comes back as a
 * `reveal` message and is shown in the patch editor, or in the kpr-model: document for model code.
 */
import * as vscode from 'vscode';
import type { ScenarioRun } from '../../../server/src/verdict/types';
import { makeNonce, traceHtml } from './html';

export type Side = 'pre' | 'post';

interface Shown {
  run: ScenarioRun;
  uri: string;
  side: Side;
  step: number;
}

export class TracePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: Shown | undefined;
  private ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Opens `kpr-model:/<file>` at a 0-based line (shared with the hover links). */
    private readonly openModel: (file: string, line: number) => Promise<void>,
  ) {}

  show(run: ScenarioRun, uri: string, side: Side, step: number): void {
    this.shown = { run, uri, side: run[side] ? side : side === 'post' ? 'pre' : 'post', step };
    const title = `Trace: ${run.scenario}`;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel('kpr.trace', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
        enableScripts: true,
        localResourceRoots: [media],
        retainContextWhenHidden: false,
      });
      const webview = this.panel.webview;
      this.ready = false;
      webview.html = traceHtml({
        cspSource: webview.cspSource,
        nonce: makeNonce(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trace.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trace.css')).toString(),
        title,
      });
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
      });
    } else {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, false);
    }
    if (this.ready) this.post();
  }

  private post(): void {
    const s = this.shown;
    if (s && this.panel) void this.panel.webview.postMessage({ type: 'run', run: s.run, side: s.side, step: s.step });
  }

  private async onMessage(m: unknown): Promise<void> {
    const msg = m as { type?: string; side?: Side; step?: number } | null;
    if (msg?.type === 'ready') {
      this.ready = true;
      this.post();
    } else if (msg?.type === 'reveal' && this.shown && (msg.side === 'pre' || msg.side === 'post') && typeof msg.step === 'number') {
      await this.reveal(msg.side, msg.step);
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
