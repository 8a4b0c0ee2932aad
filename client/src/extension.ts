/**
 * The VS Code side of Kernel Patch Reasoner: starts the bundled language server
 * (server/dist/kpr.js lsp --stdio) for kernel-patch documents. All analysis lives in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/dist/kpr.js');
  const run = { module, transport: TransportKind.stdio, args: ['lsp', '--stdio'] };
  const serverOptions: ServerOptions = { run, debug: { ...run, options: { execArgv: ['--enable-source-maps'] } } };
  const output = vscode.window.createOutputChannel('Kernel Patch Reasoner', { log: true });
  const config = vscode.workspace.getConfiguration('kpr');
  const clientOptions: LanguageClientOptions = {
    // The built-in `diff` language also claims *.patch, so match the file patterns as well.
    documentSelector: [
      { scheme: 'file', language: 'kernel-patch' },
      { scheme: 'untitled', language: 'kernel-patch' },
      { scheme: 'file', pattern: '**/*.{patch,diff,mbox,eml}' },
    ],
    initializationOptions: { debounceMs: config.get<number>('debounceMs', 200) },
    synchronize: { configurationSection: 'kpr' },
    outputChannel: output,
  };
  client = new LanguageClient('kpr', 'Kernel Patch Reasoner', serverOptions, clientOptions);
  context.subscriptions.push(output);
  await client.start();
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
