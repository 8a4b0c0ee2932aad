// Load and abuse of `kpr lsp --stdio` with a real client over stdio: edit bursts, cancellations in
// every order, a malformed frame, a close during analysis, many documents at once, a 5 MB patch
// beside a small one and closed mid-analysis, and the static tier's time bound.
// After each scenario the server must still answer a request; at the end it must exit with 0.
// Nothing here measures time as a pass/fail criterion: assertions are on ordering and on what the
// server says it did; durations are printed as diagnostics only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  CancellationTokenSource,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  ShutdownRequest,
  ExitNotification,
  LSPErrorCodes,
  ResponseError,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, startServer, within, type Session } from '../protocol/client';
import { appendEdits, bigPatch, cutOffPatch, frame, literal, LogTap, StdoutTap, writeRaw } from './raw';

const LANG = 'kernel-patch';
const DEBOUNCE = 20;
const fixtures = join(repoRoot, 'test', 'fixtures', 'load');
const uriOf = (name: string): string => pathToFileURL(join(fixtures, name)).href;
const finalText = readFileSync(join(fixtures, 'burst-final.patch'), 'utf8');
/** A diagnostic's message as text (the protocol allows markup there too). */
const text_ = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);

describe('kpr lsp --stdio under load', () => {
  let s: Session;
  let tap: StdoutTap;
  let logs: LogTap;
  const aliveUri = uriOf('alive.patch');

  /** The server still answers: an outline request for a small open document gets its symbols. */
  async function assertAlive(what: string): Promise<void> {
    const symbols = await within(10_000, `documentSymbol after ${what}`, s.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: aliveUri } }));
    assert.ok(Array.isArray(symbols) && symbols.length === 1, `outline after ${what}: ${JSON.stringify(symbols)}`);
  }

  function open(uri: string, text: string, version = 1): Promise<void> {
    return s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: LANG, version, text } });
  }

  function close(uri: string): Promise<void> {
    return s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  const publishedFor = (uri: string): PublishDiagnosticsParams[] => s.published.filter((p) => p.uri === uri);

  before(async () => {
    s = startServer();
    tap = new StdoutTap(s.child);
    logs = new LogTap(s.connection);
    await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: DEBOUNCE },
    }));
    await s.connection.sendNotification(InitializedNotification.type, {});
    const first = s.diagnostics(aliveUri, () => true, 'diagnostics of the liveness document');
    await open(aliveUri, cutOffPatch('alive_probe', 4).text);
    await first;
  });

  after(() => s?.kill());

  test('a burst of 400 incremental edits ends with the diagnostics of the last version, of the final text', async () => {
    const uri = uriOf('burst.patch');
    const edits = appendEdits(finalText, 400);
    const lastVersion = 1 + edits.length;
    const final = s.diagnostics(uri, (p) => p.version === lastVersion, `diagnostics of version ${lastVersion}`, 30_000);
    await open(uri, '');
    // All edits go out without waiting for anything in between: hundreds within well under a second.
    const sent = performance.now();
    await Promise.all(edits.map((change, i) => s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 + i }, contentChanges: [change],
    })));
    const burstMs = performance.now() - sent;
    const pub = await final;
    // The same text opened fresh under another name is the reference for "the final text's problems".
    const refUri = uriOf('burst-reference.patch');
    const ref = s.diagnostics(refUri, () => true, 'diagnostics of the reference document');
    await open(refUri, finalText);
    const expected = (await ref).diagnostics;
    const strip = (ds: PublishDiagnosticsParams['diagnostics']) => ds.map((d) => ({ code: d.code, line: d.range.start.line, message: d.message }));
    assert.deepEqual(strip(pub.diagnostics), strip(expected));
    assert.deepEqual(strip(pub.diagnostics).map((d) => [d.code, d.line]), [['patch-syntax', 16]]);
    assert.equal(pub.diagnostics[0]!.relatedInformation?.[0]?.location.range.start.line, 10, 'related: the second @@ header');

    await assertAlive('the burst'); // also lets any late publication arrive before the order check
    const versions = publishedFor(uri).map((p) => p.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'publications never go back to an older version');
    assert.equal(versions[versions.length - 1], lastVersion, 'nothing is published after the last version');
    // Debounced: far fewer publications than edits (a count, not a time).
    assert.ok(versions.length < edits.length / 4, `${versions.length} publications for ${edits.length} edits`);
    console.log(`# burst: ${edits.length} edits written in ${burstMs.toFixed(0)} ms, ${versions.length} publications`);
    await close(uri);
    await close(refUri);
  });

  test('cancellations for ids not yet sent, already answered and in flight leave every request answered', async () => {
    // Not yet sent: cancel raw-future, then send a request with that id; it must still be answered
    // (with its result or RequestCancelled), since JSON-RPC owes every request an answer.
    await writeRaw(s.child, frame(JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'raw-future' } })));
    await writeRaw(s.child, frame(JSON.stringify({ jsonrpc: '2.0', id: 'raw-future', method: 'textDocument/documentSymbol', params: { textDocument: { uri: aliveUri } } })));
    const future = await tap.answer('raw-future');
    assert.ok(future.result !== undefined || future.error?.code === LSPErrorCodes.RequestCancelled, JSON.stringify(future));

    // Already answered: the raw request above, and the client's initialize (id 0), cancelled late.
    await writeRaw(s.child, frame(JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'raw-future' } })));
    await s.connection.sendNotification('$/cancelRequest', { id: 0 });
    // A cancel for an id that never existed, of a type the client library would never send.
    await s.connection.sendNotification('$/cancelRequest', { id: 987654321 });

    // In flight: hover and outline on a document whose analysis is not yet cached, cancelled at once.
    const uri = uriOf('cancel.patch');
    await open(uri, finalText);
    const outcomes = await Promise.all([0, 1, 2, 3].map(async (i) => {
      const source = new CancellationTokenSource();
      const request: Promise<unknown> = i % 2 === 0
        ? s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 2 } }, source.token)
        : s.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }, source.token);
      source.cancel();
      try {
        await within(10_000, `cancelled request ${i}`, request);
        return 'answered';
      } catch (err) {
        assert.ok(err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled, String(err));
        return 'cancelled';
      }
    }));
    console.log(`# cancellations in flight: ${outcomes.join(', ')}`);
    await close(uri);
    await assertAlive('the cancellations');
  });

  test('a frame of malformed JSON with a correct Content-Length does not bring the server down', async () => {
    await writeRaw(s.child, frame('{"jsonrpc": "2.0", "id": "raw-bad", "method": "textDocument/hover", "params": {'));
    // Valid JSON that is not a JSON-RPC message, and a request for a method nobody implements.
    await writeRaw(s.child, frame('[1, 2, 3]'));
    await writeRaw(s.child, frame(JSON.stringify({ jsonrpc: '2.0', id: 'raw-unknown', method: 'kpr/noSuchMethod', params: {} })));
    const unknown = await tap.answer('raw-unknown');
    assert.equal(unknown.error?.code, -32601, `MethodNotFound for an unknown method: ${JSON.stringify(unknown)}`);
    await assertAlive('the malformed frames');
  });

  test('a document closed while its analysis runs gets nothing after the empty publication of its close', async () => {
    const uri = uriOf('closed-early.patch');
    // Half a megabyte: its analysis takes long enough that the close arrives while it is under way.
    await open(uri, bigPatch(512 * 1024));
    // Give the debounce time to fire so the analysis has started; pacing only, nothing is timed.
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE * 3));
    const hover = s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 1 } });
    const cleared = s.diagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0, 'the empty publication of the close', 60_000);
    await close(uri);
    await cleared;
    await within(60_000, 'the hover sent before the close', hover.then(() => undefined, () => undefined));
    const emptyAt = s.published.findIndex((p) => p.uri === uri && p.version === undefined);

    // Reopening under the same uri and version 1 with other text: only the new text's problems.
    const reopened = cutOffPatch('reopened', 6);
    const fresh = s.diagnostics(uri, (p) => s.published.indexOf(p) > emptyAt && p.version === 1, 'diagnostics of the reopened document', 60_000);
    await open(uri, reopened.text);
    const pub = await fresh;
    assert.deepEqual(pub.diagnostics.map((d) => [d.code, d.range.start.line]), [['patch-syntax', reopened.errorLine]]);
    await close(uri);
    await assertAlive('the close during analysis');
    const later = s.published.slice(emptyAt + 1).filter((p) => p.uri === uri);
    // After the first close: the reopened document's publication(s), then the second close's empty one.
    assert.ok(later.every((p) => p.version === 1 ? p.diagnostics.some((d) => d.range.start.line === reopened.errorLine) : p.diagnostics.length === 0), JSON.stringify(later.map((p) => [p.version, p.diagnostics.length])));
    assert.equal(later[later.length - 1]?.diagnostics.length, 0, 'the last word on a closed document is an empty publication');
  });

  test('ten documents opened at once each get their own diagnostics', async () => {
    const docs = Array.from({ length: 10 }, (_, i) => ({ uri: uriOf(`many-${i}.patch`), ...cutOffPatch(`many_${i}`, i + 1) }));
    const waits = docs.map((d) => s.diagnostics(d.uri, (p) => p.version === 1, `diagnostics of ${d.uri}`, 30_000));
    await Promise.all(docs.map((d) => open(d.uri, d.text)));
    const pubs = await Promise.all(waits);
    pubs.forEach((pub, i) => {
      const d = docs[i]!;
      assert.deepEqual(pub.diagnostics.map((x) => [x.code, x.range.start.line]), [['patch-syntax', d.errorLine]], d.uri);
      // Related information points into the same document, never a neighbour's.
      for (const x of pub.diagnostics) for (const r of x.relatedInformation ?? []) assert.equal(r.location.uri, d.uri);
    });
    await Promise.all(docs.map((d) => close(d.uri)));
    await assertAlive('ten documents');
  });

  test('while a 5 MB patch is being analysed, a small document opened afterwards gets its diagnostics first', { timeout: 240_000 }, async () => {
    const bigUri = uriOf('five-megabytes.patch');
    const smallUri = uriOf('small-beside-big.patch');
    const small = cutOffPatch('small_beside_big', 3);
    const text = bigPatch(5 * 1024 * 1024);
    const bigDone = s.diagnostics(bigUri, () => true, 'diagnostics of the 5 MB patch', 200_000);
    const smallDone = s.diagnostics(smallUri, () => true, 'diagnostics of the small document', 200_000);
    // The server says when a heavy analysis starts: open the small document only once it runs.
    const started = logs.next(new RegExp(`static analysis of ${literal(bigUri)} v1 started`), 'the start of the 5 MB analysis', 200_000);
    const t0 = performance.now();
    await open(bigUri, text);
    await started;
    await open(smallUri, small.text);
    const smallPub = await smallDone;
    const tSmall = performance.now() - t0;
    // The server answers requests meanwhile: an outline of the small document, then a hover.
    const outline = await s.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: smallUri } });
    await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: smallUri }, position: { line: 3, character: 1 } });
    const answeredAt = s.published.length;
    const bigPub = await bigDone;
    const tBig = performance.now() - t0;
    assert.deepEqual(smallPub.diagnostics.map((d) => [d.code, d.range.start.line]), [['patch-syntax', small.errorLine]]);
    assert.ok(Array.isArray(outline) && outline.length === 1, JSON.stringify(outline));
    // Ordering, not time: the small document's diagnostics and both answers came before the big one's.
    const bigAt = s.published.indexOf(bigPub);
    assert.ok(s.published.indexOf(smallPub) < bigAt, 'the small document was published first');
    assert.ok(answeredAt <= bigAt, 'the outline and hover of the small document were answered before the big one was published');
    // The big one was cut to the size bound, and says so where its analysis stopped.
    assert.equal(bigPub.version, 1);
    // On a busy machine the prefix may also run past the time bound: then a second note says so.
    const bound = bigPub.diagnostics.filter((d) => d.code === 'analysis-bound' && /kpr\.static\.maxSizeKb/.test(text_(d.message)));
    assert.equal(bound.length, 1, JSON.stringify(bigPub.diagnostics.filter((d) => d.code === 'analysis-bound')));
    const cutLine = bound[0]!.range.start.line;
    assert.ok(text.split('\n')[cutLine]!.startsWith('@@ '), `cut before a hunk header, at line ${cutLine}`);
    assert.ok(bigPub.diagnostics.every((d) => d.code === 'analysis-bound' || d.range.start.line < cutLine), 'no finding beyond the cut');
    console.log(`# 5 MB (${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB, ${text.split('\n@@').length - 1} hunks): small document's diagnostics after ${tSmall.toFixed(0)} ms, big one's (cut at line ${cutLine}) after ${tBig.toFixed(0)} ms`);
    await close(bigUri);
    await close(smallUri);
    await assertAlive('the 5 MB patch');
  });

  test('closing a 5 MB patch mid-analysis drops the work and leaves the server healthy', { timeout: 240_000 }, async () => {
    const uri = uriOf('closed-mid-analysis.patch');
    const text = bigPatch(5 * 1024 * 1024);
    const started = logs.next(new RegExp(`static analysis of ${literal(uri)} v1 started`), 'the start of the analysis', 200_000);
    await open(uri, text);
    await started;
    const dropped = logs.next(new RegExp(`static analysis of ${literal(uri)} v1 dropped \\(closed\\)`), 'the server dropping the analysis');
    const cleared = s.diagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0, 'the empty publication of the close');
    await close(uri);
    await cleared;
    const emptyAt = s.published.length;
    assert.match(await dropped, /its worker was terminated|it had not started/);
    // Everything still works: a small document, the liveness document, and the same big text again
    // (the heavy lane's worker was replaced).
    const next = cutOffPatch('after_close', 2);
    const nextUri = uriOf('after-close.patch');
    const nextDone = s.diagnostics(nextUri, () => true, 'diagnostics after the close');
    await open(nextUri, next.text);
    assert.deepEqual((await nextDone).diagnostics.map((d) => [d.code, d.range.start.line]), [['patch-syntax', next.errorLine]]);
    await assertAlive('the close mid-analysis');
    const again = s.diagnostics(uri, (p) => p.version === 1, 'diagnostics of the reopened 5 MB patch', 200_000);
    await open(uri, text);
    assert.ok((await again).diagnostics.some((d) => d.code === 'analysis-bound'));
    // Between the close and the reopen nothing was published for it.
    const between = s.published.slice(emptyAt).filter((p) => p.uri === uri);
    assert.equal(between[0]?.version, 1, JSON.stringify(between.map((p) => p.version)));
    await close(uri);
    await close(nextUri);
  });

  test('an analysis past the time bound is stopped and says so; other documents are unaffected', { timeout: 240_000 }, async () => {
    // A bound far below what a 256 KB prefix needs (seconds) and far above a tiny patch's (a few ms).
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kpr: { debounceMs: DEBOUNCE, static: { maxMs: 300 } } } });
    const uri = uriOf('over-time.patch');
    const small = cutOffPatch('beside_slow', 2);
    const smallUri = uriOf('beside-slow.patch');
    const stopped = s.diagnostics(uri, () => true, 'diagnostics of the stopped analysis', 200_000);
    const smallDone = s.diagnostics(smallUri, () => true, 'diagnostics of the small document', 60_000);
    await open(uri, bigPatch(1024 * 1024));
    await open(smallUri, small.text);
    const pub = await stopped;
    const codes = pub.diagnostics.map((d) => [d.code, (d.data as { bound?: string } | undefined)?.bound]);
    assert.deepEqual(codes, [['analysis-bound', 'time'], ['analysis-bound', 'size']], JSON.stringify(pub.diagnostics));
    assert.match(text_(pub.diagnostics[0]!.message), /time bound/);
    assert.deepEqual((await smallDone).diagnostics.map((d) => [d.code, d.range.start.line]), [['patch-syntax', small.errorLine]]);
    const hover = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 1 } });
    assert.equal(hover, null, 'a stopped analysis has nothing to show');
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kpr: { debounceMs: DEBOUNCE, static: { maxMs: 10_000 } } } });
    await close(uri);
    await close(smallUri);
    await assertAlive('the time bound');
  });

  test('after all of it, shutdown then exit ends the process with status 0', async () => {
    await within(10_000, 'shutdown', s.connection.sendRequest(ShutdownRequest.type));
    await s.connection.sendNotification(ExitNotification.type);
    assert.equal(await within(10_000, 'process exit', s.exited), 0, s.stderr());
  });
});
