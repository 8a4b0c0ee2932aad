// Quick fixes over LSP: a patch with a discarded invalidate_complete_page() result and a
// -Wparentheses warning in; for each diagnostic, the code actions the server offers (with that
// diagnostic attached) and the document after applying them out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  type CodeAction,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { fixture, startServer, within } from './client';

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((p, q) => offset(q.range.start) - offset(p.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test('each mechanical fix is offered on its diagnostic, carries it, and its edit gives the fixed patch', { timeout: 60_000 }, async () => {
  const s = startServer();
  try {
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 20 },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
    const { uri, text } = fixture('unchecked-result.patch');
    const published = s.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unchecked-return'), 'the static diagnostics');
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kernel-patch', version: 1, text } });
    const diagnostics = (await published).diagnostics.filter((d) => d.code === 'unchecked-return' || d.code === 'c-warning');
    const offered: Record<string, { title: string; attached: unknown; after: string[] }[]> = {};
    for (const d of diagnostics) {
      const actions = (await within(10_000, 'code actions', s.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: d.range, context: { diagnostics: [d] },
      }))) as CodeAction[];
      offered[`${String(d.code)}@${d.range.start.line + 1}`] = actions.map((a) => ({
        title: a.title,
        attached: a.diagnostics?.map((x) => x.code),
        after: apply(text, a.edit?.changes?.[uri] ?? []).split('\n').slice(2, 15),
      }));
    }
    const unchanged = text.split('\n').slice(2, 15);
    assert.deepEqual(offered, {
      'unchecked-return@12': [{
        title: 'Use the result of invalidate_complete_page(): ret = -EIO when it fails',
        attached: ['unchecked-return'],
        after: [unchanged[0]!.replace('+250,13', '+250,14'), ...unchanged.slice(1, 9), '+\tif (!invalidate_complete_page(mapping, page))', '+\t\tret = -EIO;', ...unchanged.slice(10, 12)],
      }],
      'c-warning@13': [{
        title: 'Parenthesise b + 1 (as gcc suggests)',
        attached: ['c-warning'],
        after: [...unchanged.slice(0, 10), '+\tx = a << (b + 1);', ...unchanged.slice(11)],
      }],
    });
  } finally {
    s.kill();
  }
});
