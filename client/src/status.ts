/**
 * Status bar item for the active kernel patch: analysing while an edit waits for its diagnostics,
 * then a verdict counted from the kpr diagnostics of that document.
 */
import * as vscode from 'vscode';
import { statusText, type Activity } from './status-text';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kpr.status', vscode.StatusBarAlignment.Left, 50);
  /** Documents edited since their diagnostics last changed. */
  private readonly pending = new Set<string>();
  private running: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly isPatch: (doc: vscode.TextDocument) => boolean) {
    this.item.name = 'Kernel Patch Reasoner';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.isPatch(e.document)) {
          this.pending.add(e.document.uri.toString());
          this.update();
        }
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) this.pending.delete(uri.toString());
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
    const { text, tooltip } = statusText(vscode.languages.getDiagnostics(doc.uri), activity);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
