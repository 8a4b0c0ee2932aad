/**
 * Status bar item for the active kernel patch: analysing from an edit until the server's verdict
 * for it arrives (and while the model tier has not answered), then the verdict counted by rule
 * (status-text.ts). A click opens the Patch Verdict view.
 */
import * as vscode from 'vscode';
import { statusText, type Activity } from './status-text';
import type { VerdictStore } from './verdict-view';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kpr.status', vscode.StatusBarAlignment.Left, 50);
  /** Documents edited since their verdict last came. */
  private readonly pending = new Set<string>();
  private running: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly isPatch: (doc: vscode.TextDocument) => boolean,
    private readonly verdicts: VerdictStore,
  ) {
    this.item.name = 'Kernel Patch Reasoner';
    this.item.command = 'kpr.showVerdict';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.isPatch(e.document)) {
          this.pending.add(e.document.uri.toString());
          this.update();
        }
      }),
      verdicts.onDidChange((uri) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
        if (!doc || verdicts.get(uri)?.version === doc.version) this.pending.delete(uri);
        this.update();
      }),
    );
    this.update();
  }

  /** Shows `running <scenario>` while a run is under way; undefined when it ends. */
  setRunning(scenario: string | undefined): void {
    this.running = scenario;
    this.update();
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !this.isPatch(doc)) {
      this.item.hide();
      return;
    }
    const key = doc.uri.toString();
    const activity: Activity = this.running ? { kind: 'running', scenario: this.running } : this.pending.has(key) ? { kind: 'analysing' } : { kind: 'idle' };
    const { text, tooltip } = statusText(this.verdicts.get(key), activity);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
