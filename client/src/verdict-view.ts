/**
 * The verdict at a glance in VS Code: the server's `kpr/verdict` notifications kept per document
 * (the status bar reads them too) and the *Patch Verdict* tree view of the active patch:
 * message → status → rule → places → scenarios. A place reveals its line in the editor when
 * clicked. `kpr.showVerdict [uri, message]` (the message lens) focuses the view.
 */
import * as vscode from 'vscode';
import type { MessageVerdictView, PlaceView, StatusGroupView, VerdictParams } from '../../server/src/protocol';

export const VERDICT_VIEW_ID = 'kpr.verdict';

/** What the status word of a status group reads as in the tree. */
const STATUS_LABEL: Record<string, string> = {
  introduced: 'introduces', widened: 'widens', remaining: 'still has', present: 'has (mail code)', narrowed: 'narrows', fixed: 'fixes', unjudged: 'not judged',
};
const STATUS_ICON: Record<string, string> = {
  introduced: 'error', widened: 'error', remaining: 'warning', present: 'warning', narrowed: 'arrow-down', fixed: 'pass', unjudged: 'question',
};

export class VerdictStore implements vscode.Disposable {
  private readonly byUri = new Map<string, VerdictParams>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  set(p: VerdictParams): void {
    const old = this.byUri.get(p.uri);
    if (old && old.version > p.version) return;
    this.byUri.set(p.uri, p);
    this.changed.fire(p.uri);
  }

  get(uri: string): VerdictParams | undefined {
    return this.byUri.get(uri);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

type Node =
  | { kind: 'message'; uri: string; m: MessageVerdictView; single: boolean }
  | { kind: 'status'; uri: string; g: StatusGroupView }
  | { kind: 'rule'; uri: string; rule: string; places: PlaceView[]; status: string }
  | { kind: 'place'; uri: string; p: PlaceView; rule: string }
  | { kind: 'scenario'; id: string }
  | { kind: 'empty'; text: string };

export class VerdictTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private view: vscode.TreeView<Node> | undefined;

  constructor(private readonly store: VerdictStore) {
    this.subscriptions.push(
      store.onDidChange((uri) => { if (uri === this.activeUri()) this.refresh(); }),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
    );
  }

  register(): vscode.Disposable[] {
    this.view = vscode.window.createTreeView(VERDICT_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.refresh();
    return [
      this.view,
      vscode.commands.registerCommand('kpr.showVerdict', () => vscode.commands.executeCommand(`${VERDICT_VIEW_ID}.focus`)),
      vscode.commands.registerCommand('kpr.revealPlace', (uri: unknown, line: unknown, character: unknown) => this.reveal(uri, line, character)),
    ];
  }

  private activeUri(): string | undefined {
    return vscode.window.activeTextEditor?.document.uri.toString();
  }

  private refresh(): void {
    const uri = this.activeUri();
    const v = uri ? this.store.get(uri) : undefined;
    if (this.view) {
      this.view.description = v ? (v.model === 'analysing' ? 'analysing…' : v.model === 'off' ? 'static only' : '') : '';
      this.view.message = v ? undefined : 'Open a kernel patch to see its verdict.';
    }
    this.changed.fire(undefined);
  }

  private async reveal(uri: unknown, line: unknown, character: unknown): Promise<void> {
    if (typeof uri !== 'string' || typeof line !== 'number') return;
    const at = new vscode.Position(line, typeof character === 'number' ? character : 0);
    // In the editor that already shows the patch, not in whatever group has the focus (the trace view's).
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri)?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(at, at), preserveFocus: false, viewColumn: column });
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const uri = this.activeUri();
      const v = uri ? this.store.get(uri) : undefined;
      if (!uri || !v) return [];
      if (v.messages.length === 1) return this.statuses(uri, v.messages[0]!);
      return v.messages.map((m) => ({ kind: 'message', uri, m, single: false }));
    }
    switch (node.kind) {
      case 'message': return this.statuses(node.uri, node.m);
      case 'status': return node.g.rules.map((r) => ({ kind: 'rule', uri: node.uri, rule: r.rule, places: r.places, status: node.g.status }));
      case 'rule': return node.places.map((p) => ({ kind: 'place', uri: node.uri, p, rule: node.rule }));
      case 'place': return node.p.scenarios.map((id) => ({ kind: 'scenario', id }));
      default: return [];
    }
  }

  private statuses(uri: string, m: MessageVerdictView): Node[] {
    if (m.groups.length === 0) return [{ kind: 'empty', text: 'nothing found' }];
    return m.groups.map((g) => ({ kind: 'status', uri, g }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.m.subject ?? `message ${node.m.index + 1}`, C.Expanded);
        item.description = node.m.counts;
        item.command = { title: 'Reveal', command: 'kpr.revealPlace', arguments: [node.uri, node.m.line, 0] };
        return item;
      }
      case 'status': {
        const rules = node.g.rules.length;
        const item = new vscode.TreeItem(STATUS_LABEL[node.g.status] ?? node.g.status, C.Expanded);
        item.description = `${rules} rule${rules === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon(STATUS_ICON[node.g.status] ?? 'circle-outline');
        return item;
      }
      case 'rule': {
        const item = new vscode.TreeItem(node.rule, node.places.length > 0 ? C.Collapsed : C.None);
        item.description = `${node.places.length} place${node.places.length === 1 ? '' : 's'}`;
        item.tooltip = `${node.rule} [${node.status}]`;
        // One place: clicking the rule goes there at once.
        const only = node.places.length === 1 ? node.places[0] : undefined;
        if (only) item.command = { title: 'Reveal', command: 'kpr.revealPlace', arguments: [node.uri, only.range.start.line, only.range.start.character] };
        return item;
      }
      case 'place': {
        const item = new vscode.TreeItem(`line ${node.p.range.start.line + 1}`, node.p.scenarios.length > 0 ? C.Collapsed : C.None);
        item.description = node.p.message;
        item.tooltip = node.p.message;
        item.command = { title: 'Reveal', command: 'kpr.revealPlace', arguments: [node.uri, node.p.range.start.line, node.p.range.start.character] };
        return item;
      }
      case 'scenario': {
        const item = new vscode.TreeItem(node.id, C.None);
        item.iconPath = new vscode.ThemeIcon('beaker');
        return item;
      }
      case 'empty':
        return new vscode.TreeItem(node.text, C.None);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
