// Precise windows over LSP (issue 14 item 3): on seeds 000 and 002, every model diagnostic's
// primary range is one statement on the side its status judges (added or context lines for what
// the post side broke, removed or context lines for what the patch fixed), never a span over
// comments; and its related places are distinct. The seeds come in as documents, the
// diagnostics the server publishes are the whole output checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { seedPath, seedsSkip } from '../support/seeds';
import { pathToFileURL } from 'node:url';
import {
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, startServer, within } from './client';


/** The text a range covers, line by line, each with its diff marker. */
function covered(lines: readonly string[], r: Range): string[] {
  const out: string[] = [];
  for (let l = r.start.line; l <= r.end.line; l++) {
    const text = lines[l] ?? '';
    out.push(text.slice(0, 1) + text.slice(l === r.start.line ? Math.max(1, r.start.character) : 1, l === r.end.line ? r.end.character : undefined));
  }
  return out;
}

/** What is wrong with a model diagnostic's primary range, or '' when it is one statement on the right lines. */
function problem(lines: readonly string[], d: Diagnostic): string {
  const status = (d.data as { status?: string }).status;
  // A fixed race is shown on the pre side; a note on a search that stopped early sits on the side
  // it names ("scenario (pre): ..."); everything else on the post side.
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  const pre = status === 'fixed' || (status === 'unjudged' && /^\S+ \(pre\):/.test(message));
  const allowed = pre ? ['-', ' '] : ['+', ' '];
  const parts = covered(lines, d.range);
  const code = parts.map((p) => p.slice(1)).join('\n');
  if (parts.some((p) => !allowed.includes(p[0] ?? ''))) return `covers a line outside the ${pre ? 'pre' : 'post'} side: ${JSON.stringify(parts)}`;
  if (/\/\*|\*\/|^\s*\*/m.test(code)) return `covers a comment: ${JSON.stringify(parts)}`;
  if (code.trim() === '') return 'covers no code';
  // One statement: at most one ';' and it ends the range; no block opened or closed inside it.
  const semis = (code.match(/;/g) ?? []).length;
  if (semis > 1 || (semis === 1 && !code.trimEnd().endsWith(';')) || /[{}]/.test(code)) return `more than one statement: ${JSON.stringify(parts)}`;
  return '';
}

for (const prefix of ['000_', '002_']) {
  test(`seed ${prefix}: each model diagnostic is one statement on its side's lines, with distinct related places`, { timeout: 180_000, skip: seedsSkip() }, async () => {
    const s = startServer();
    try {
      await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 20 },
      }));
      await s.connection.sendNotification(InitializedNotification.type, {});
      const file = seedPath(prefix.replace(/_$/, ''));
      const text = readFileSync(file, 'utf8');
      const uri = pathToFileURL(join(repoRoot, 'test', basename(file))).toString();
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kernel-patch', version: 1, text } });
      const pub = await s.diagnostics(uri, (p) => p.diagnostics.some((d) => (d.data as { tier?: string } | undefined)?.tier === 'model'), 'the model tier\'s diagnostics', 150_000);
      const lines = text.split(/\r?\n/);
      const model = pub.diagnostics.filter((d) => (d.data as { tier?: string }).tier === 'model');
      assert.ok(model.some((d) => (d.relatedInformation ?? []).length > 0), 'some model diagnostic is a race with related places');
      const wrong = model.map((d) => ({ at: d.range.start.line + 1, code: d.code, problem: problem(lines, d) })).filter((x) => x.problem !== '');
      assert.deepEqual(wrong, []);
      const repeated = model.flatMap((d) => {
        const keys = (d.relatedInformation ?? []).map((r) => `${r.location.uri}:${r.location.range.start.line}:${r.location.range.start.character}`);
        return keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => `${String(d.code)} at ${d.range.start.line + 1}: ${k}`);
      });
      assert.deepEqual(repeated, []);
    } finally {
      s.kill();
    }
  });
}
