// Drives `kpr lsp --stdio` with a real LSP client over stdio: lifecycle, diagnostics with
// incremental sync, the outline and hover.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  ShutdownRequest,
  ExitNotification,
  TextDocumentSyncKind,
  DiagnosticSeverity,
  SymbolKind,
  type DocumentSymbol,
  type InitializeResult,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, repoRoot, startServer, within, type Session } from './client';

const LANG = 'kernel-patch';

describe('kpr lsp --stdio', () => {
  let s: Session;
  let init: InitializeResult;

  before(async () => {
    s = startServer();
    init = await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      // A short debounce keeps the test quick; the default (200 ms) is for typing.
      initializationOptions: { debounceMs: 20 },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => s?.kill());

  test('initialize announces incremental sync, outline and hover', () => {
    const caps = init.capabilities;
    const sync = caps.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
    assert.equal(typeof sync === 'object' ? sync.openClose : undefined, true);
    assert.ok(caps.documentSymbolProvider);
    assert.ok(caps.hoverProvider);
    assert.equal(init.serverInfo?.name, 'kpr');
  });

  test('a cut-off hunk gets a patch-syntax error at its last line; fixing the header clears it', async () => {
    const { uri, text } = fixture('short-hunk.patch');
    const broken = s.diagnostics(uri, (p) => p.diagnostics.length > 0, 'diagnostics of the broken patch');
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: LANG, version: 1, text } });
    const pub = await broken;
    assert.equal(pub.version, 1);
    const d = pub.diagnostics.find((x) => x.code === 'patch-syntax');
    assert.ok(d, JSON.stringify(pub.diagnostics));
    assert.equal(d.source, 'kpr');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    // The header promises 5 old lines; the body stops after its third line (document line 5).
    assert.equal(d.range.start.line, 5);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === uri && r.location.range.start.line === 2), 'related: the @@ header');

    const cleared = s.diagnostics(uri, (p) => p.version === 2, 'diagnostics after the fix');
    // Line 2 is "@@ -100,5 +100,6 @@ ..."; characters 4-16 are "100,5 +100,6".
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 16 } }, text: '100,2 +100,3' }],
    });
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test('rapid edits end with diagnostics for the newest version, never an older one after it', async () => {
    const { uri, text } = fixture('short-hunk.patch');
    const uriB = uri.replace(/\.patch$/, '-copy.patch');
    const last = s.diagnostics(uriB, (p) => p.version === 4, 'diagnostics of version 4');
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriB, languageId: LANG, version: 1, text } });
    const header = { start: { line: 2, character: 4 }, end: { line: 2, character: 16 } };
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriB, version: 2 }, contentChanges: [{ range: header, text: '100,2 +100,3' }] });
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriB, version: 3 }, contentChanges: [{ range: header, text: '100,5 +100,6' }] });
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriB, version: 4 }, contentChanges: [{ range: header, text: '100,2 +100,3' }] });
    assert.deepEqual((await last).diagnostics, []);
    const versions = s.published.filter((p) => p.uri === uriB).map((p) => p.version ?? 0);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'publications never go back to an older version');
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriB } });
  });

  test('the outline of a bare two-file patch lists files, then hunks, then functions', async () => {
    const { uri, text } = fixture('two-files.patch');
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: LANG, version: 1, text } });
    const symbols = (await within(10_000, 'documentSymbol', s.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }))) as DocumentSymbol[] | null;
    assert.ok(symbols);
    assert.deepEqual(symbols.map((x) => x.name), ['mm/filemap.c', 'mm/truncate.c']);
    assert.deepEqual(symbols[0]!.children?.map((x) => x.name), ['@@ -10,3 +10,4 @@', '@@ -40,5 +41,4 @@']);
    assert.deepEqual(symbols[1]!.children?.map((x) => x.name), ['@@ -20,3 +20,4 @@']);
    assert.deepEqual(symbols[0]!.children?.[0]!.children?.map((x) => x.name), ['sketch_one']);
    assert.equal(symbols[1]!.range.start.line, 15, "a file without a diff line starts at its --- line");
  });

  test('the outline of a mail nests its file under the message and the function under the hunk', async () => {
    const path = join(repoRoot, 'examples', 'invalidate-recheck.patch');
    const uri = pathToFileURL(path).href;
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: LANG, version: 1, text: readFileSync(path, 'utf8') } });
    const symbols = (await within(10_000, 'documentSymbol', s.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }))) as DocumentSymbol[] | null;
    assert.ok(symbols);
    assert.equal(symbols.length, 1);
    const [message] = symbols;
    assert.equal(message!.name, '[PATCH] invalidate: recheck page->mapping after taking the page lock');
    assert.equal(message!.kind, SymbolKind.Module);
    const file = message!.children?.[0];
    assert.equal(file?.name, 'mm/truncate.c');
    assert.equal(file?.kind, SymbolKind.File);
    const hunk = file?.children?.[0];
    assert.equal(hunk?.name, '@@ -240,18 +240,23 @@');
    assert.deepEqual(hunk?.children?.map((x) => [x.name, x.kind]), [['invalidate_mapping_range_sketch', SymbolKind.Function]]);
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  });

  test('hover on an added line names its file, hunk and what the hunk changes', async () => {
    const { uri } = fixture('two-files.patch');
    // Document line 6 is "+\twait_on_page_writeback(page);" in the first hunk of mm/filemap.c.
    const hover = await within(10_000, 'hover', s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 6, character: 3 } }));
    assert.ok(hover);
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /-0 \+1 lines in `mm\/filemap\.c`, hunk 1 of 2, `@@ -10,3 \+10,4 @@`/);
    assert.match(value, /sketch_one/);
    assert.match(value, /added line \(new line 11\)/);
  });

  test('closing a document clears its diagnostics', async () => {
    const { uri, text } = fixture('short-hunk.patch');
    const reopened = s.diagnostics(uri, (p) => p.version === 7 && p.diagnostics.length > 0, 'diagnostics after reopening');
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: LANG, version: 7, text } });
    await reopened;
    const cleared = s.diagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0, 'empty diagnostics on close');
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await cleared;
  });

  test('shutdown then exit ends the process with status 0', async () => {
    await within(10_000, 'shutdown', s.connection.sendRequest(ShutdownRequest.type));
    await s.connection.sendNotification(ExitNotification.type);
    assert.equal(await within(10_000, 'process exit', s.exited), 0, s.stderr());
  });
});
