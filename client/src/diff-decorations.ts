/**
 * Added and removed hunk lines get the diff editor's line backgrounds (and a mark in the overview
 * ruler), on top of the grammar's C highlighting: see diff-lines.ts for which lines.
 */
import * as vscode from 'vscode';
import { diffLines } from './diff-lines';

export class DiffDecorations implements vscode.Disposable {
  private readonly added = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly removed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly isPatch: (doc: vscode.TextDocument) => boolean) {
    this.subscriptions = [
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.paint(e))),
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === e.document) this.paint(ed);
      }),
    ];
    vscode.window.visibleTextEditors.forEach((e) => this.paint(e));
  }

  private paint(editor: vscode.TextEditor): void {
    if (!this.isPatch(editor.document)) return;
    const doc = editor.document;
    const lines = Array.from({ length: doc.lineCount }, (_, i) => doc.lineAt(i).text);
    const { added, removed } = diffLines(lines);
    const whole = (n: number) => new vscode.Range(n, 0, n, 0);
    editor.setDecorations(this.added, added.map(whole));
    editor.setDecorations(this.removed, removed.map(whole));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.added.dispose();
    this.removed.dispose();
  }
}
