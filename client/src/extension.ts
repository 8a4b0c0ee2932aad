/**
 * The VS Code side of Kernel Patch Reasoner: starts the bundled language server
 * (server/dist/kpr.js lsp --stdio) for kernel-patch documents, and adds what only an editor can
 * show: the Run Scenario command and trace view, trusted trace links in hovers, model library
 * documents and the status bar verdict. All analysis lives in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { HOVER_COMMANDS, RUN_SCENARIO, VERDICT_NOTIFICATION, type VerdictParams } from '../../server/src/protocol';
import { Commands } from './commands';
import { DiffDecorations } from './diff-decorations';
import { StatusItem } from './status';
import { VerdictStore, VerdictTree } from './verdict-view';

let client: LanguageClient | undefined;

/** Commands the server's hovers link to; only these run from hover markdown. */

function isPatch(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'kernel-patch' || /\.(patch|diff|mbox|eml)$/i.test(doc.uri.path);
}

/** The settings the server reads (server/src/lsp/settings.ts), plus what workspace trust allows. */
function initializationOptions(): object {
  const config = vscode.workspace.getConfiguration('kpr');
  return {
    debounceMs: config.get<number>('debounceMs', 200),
    bounds: {
      preemptions: config.get<number>('bounds.preemptions', 1),
      states: config.get<number>('bounds.states', 200000),
      ms: config.get<number>('bounds.ms', 20000),
    },
    tiers: { model: config.get<boolean>('tiers.model', true) },
    scenarioFolder: config.get<string>('scenarioFolder', '.kpr/scenarios'),
    abi: config.get<string>('abi', 'lp64'),
    // Restricted mode: scenario files are the workspace author's input, so they are neither listed nor run.
    userScenarios: vscode.workspace.isTrusted,
    // Hovers may link to the trace view and the model source: this client runs those commands.
    commandLinks: true,
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/dist/kpr.js');
  const run = { module, transport: TransportKind.stdio, args: ['lsp', '--stdio'] };
  const serverOptions: ServerOptions = { run, debug: { ...run, options: { execArgv: ['--enable-source-maps'] } } };
  const output = vscode.window.createOutputChannel('Kernel Patch Reasoner', { log: true });
  const verdicts = new VerdictStore();
  const status = new StatusItem(isPatch, verdicts);
  const tree = new VerdictTree(verdicts);
  let commands: Commands | undefined;
  const clientOptions: LanguageClientOptions = {
    // The built-in `diff` language also claims *.patch, so match the file patterns as well.
    documentSelector: [
      { scheme: 'file', language: 'kernel-patch' },
      { scheme: 'untitled', language: 'kernel-patch' },
      { scheme: 'file', pattern: '**/*.{patch,diff,mbox,eml}' },
    ],
    // A function, so that a restart (after trust is granted) sends the current values.
    initializationOptions,
    synchronize: { configurationSection: 'kpr' },
    outputChannel: output,
    middleware: {
      // The server's trace links are command: URIs; trust exactly the commands they use.
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        for (const content of hover?.contents ?? []) {
          if (content instanceof vscode.MarkdownString) content.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
        }
        return hover;
      },
      // The language client registers the server's `kpr.runScenario` as a VS Code command. Code
      // lenses, the palette and the editor title all land here, and get the quick pick, progress
      // and trace view instead of a bare request.
      executeCommand: (command, args, next) => {
        if (command === RUN_SCENARIO && commands) return commands.runScenario(args);
        return next(command, args);
      },
    },
  };
  client = new LanguageClient('kpr', 'Kernel Patch Reasoner', serverOptions, clientOptions);
  commands = new Commands(context.extensionUri, client, status);
  client.onNotification(VERDICT_NOTIFICATION, (p: VerdictParams) => verdicts.set(p));
  context.subscriptions.push(output, verdicts, tree, ...tree.register(), status, commands, ...commands.register());
  context.subscriptions.push(vscode.workspace.onDidCloseTextDocument((d) => verdicts.forget(d.uri.toString())));
  context.subscriptions.push(new DiffDecorations(isPatch));
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
