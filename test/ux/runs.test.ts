// Drives `kpr lsp --stdio` with the replay provider (KPR_REPLAY_RUNS → test/fixtures/ux/replay.json)
// standing in for the model tier: scenario commands, model-tier diagnostics, the race-window hover,
// code lenses and the kpr-model: virtual documents.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  HoverRequest,
  CodeLensRequest,
  DiagnosticSeverity,
  DiagnosticTag,
  type MarkupContent,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, startServer, within, type Session } from '../protocol/client';
import type { ScenarioRun } from '../../server/src/verdict/scenario-run';
import type { Finding } from '../../server/src/findings';
import type { ScenarioInfo } from '../../server/src/protocol';
import type { VerdictParams } from '../../server/src/protocol';

const fixtures = join(repoRoot, 'test', 'fixtures', 'ux');
const replayFile = join(fixtures, 'replay.json');
const patchPath = join(fixtures, 'dio-fault.patch');
const uri = pathToFileURL(patchPath).href;
const recorded = JSON.parse(readFileSync(replayFile, 'utf8')) as { runs: Record<string, ScenarioRun>; findings: Finding[] };

/** Starts a server replaying the fixture, with the given initializationOptions, and opens the patch. */
async function openSession(initializationOptions: object): Promise<{ s: Session; first: PublishDiagnosticsParams; verdicts: VerdictParams[] }> {
  const saved = process.env.KPR_REPLAY_RUNS;
  process.env.KPR_REPLAY_RUNS = replayFile; // the spawned server inherits the environment
  let s: Session;
  try {
    s = startServer();
  } finally {
    if (saved === undefined) delete process.env.KPR_REPLAY_RUNS;
    else process.env.KPR_REPLAY_RUNS = saved;
  }
  await within(10_000, 'initialize', s.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: pathToFileURL(fixtures).href, capabilities: {}, initializationOptions,
  }));
  await s.connection.sendNotification(InitializedNotification.type, {});
  const verdicts: VerdictParams[] = [];
  s.connection.onNotification('kpr/verdict', (p: VerdictParams) => void verdicts.push(p));
  const first = s.diagnostics(uri, () => true, 'first diagnostics');
  await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'kernel-patch', version: 1, text: readFileSync(patchPath, 'utf8') },
  });
  return { s, first: await first, verdicts };
}

function command<T>(s: Session, name: string, args: unknown[]): Promise<T> {
  return within(10_000, name, s.connection.sendRequest(ExecuteCommandRequest.type, { command: name, arguments: args })) as Promise<T>;
}

describe('model-tier surfaces over LSP (replayed runs)', () => {
  let s: Session;
  let first: PublishDiagnosticsParams;
  let verdicts: VerdictParams[];

  before(async () => ({ s, first, verdicts } = await openSession({ debounceMs: 10, commandLinks: true })));
  after(() => s?.kill());

  test('kpr.listScenarios lists the recorded scenarios, user ones included in a trusted workspace', async () => {
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [uri]);
    assert.deepEqual(list.map((x) => [x.id, x.applies, x.user === true]), [
      ['dio-write-vs-fault', true, false],
      ['truncate-vs-fault', false, false],
      ['my-invalidate-twice', true, true],
    ]);
  });

  test('the model finding is underlined on the statement where its window opens, with the interferer in a kpr-model: document', () => {
    const d = first.diagnostics.find((x) => x.code === 'dio-coherency');
    assert.ok(d, JSON.stringify(first.diagnostics));
    assert.equal(d.severity, DiagnosticSeverity.Error);
    // One statement (line 19, where the window opens), not the window's span to line 22.
    assert.deepEqual([d.range.start.line, d.range.end.line], [19, 19]);
    const interferer = d.relatedInformation?.find((r) => r.message.startsWith('fault gets in'));
    assert.equal(interferer?.location.uri, 'kpr-model:/2.6.10/filemap.c');
    assert.equal(interferer?.location.range.start.line, 125);
    const fixed = first.diagnostics.find((x) => x.code === 'mapped-uptodate');
    assert.deepEqual(fixed?.tags, [DiagnosticTag.Unnecessary]);
    assert.equal(fixed?.severity, DiagnosticSeverity.Information);
  });

  test('hover inside the race window shows the interleaving table, the verdict and a trace link', async () => {
    const hover = await within(10_000, 'hover', s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 21, character: 5 } }));
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /\*\*Race window\*\* `dio-coherency` — \*\*introduced\*\* in scenario `dio-write-vs-fault` \(post side, search complete\)/);
    assert.match(value, /\| # \| thread \| code \| effect \| where \|/);
    const steps = recorded.runs['dio-write-vs-fault']!.post!.steps;
    for (const [i, step] of steps.entries()) assert.ok(value.includes(`| ${i + 1} | ${step.thread} |`), `row ${i + 1} (${step.thread})`);
    assert.match(value, /\| 4 \| fault \| `page = find_get_page\(mapping, pgoff\);` \| page 0: refcount 2 → 3 \| \[2\.6\.10\/filemap\.c:126\]\(command:kpr\.openModel\?/);
    // The link opens the trace at the interferer's first step (index 3 of the post side).
    const link = /\(command:kpr\.showTrace\?([^)]+)\)/.exec(value);
    assert.ok(link, value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1]!)), [uri, 'dio-write-vs-fault', 'post', 3]);
    assert.match(value, /\*Rule:\* After an O\\_DIRECT write succeeds/);
    assert.match(value, /\[Open the trace view at the window \(step 4 of 8\)\]/);
  });

  test('hover outside every window has no trace', async () => {
    const hover = await within(10_000, 'hover', s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 1 } }));
    assert.doesNotMatch((hover?.contents as MarkupContent).value, /Race window/);
  });

  test('code lenses: the message verdict on the first line, one lens per changed function with its model verdict', async () => {
    const lenses = await within(10_000, 'codeLens', s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }));
    assert.deepEqual(lenses?.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]), [
      [0, 'kpr verdict: fixes 1 · introduces 1 · still has 1 · not judged 0', 'kpr.showVerdict', [uri, 0]],
      [3, 'invalidate_inode_pages2: fixes mapped-uptodate · introduces dio-coherency · still has unchecked-return · ▷ Run Scenario…', 'kpr.runScenario', [uri]],
    ]);
    const run = await command<ScenarioRun>(s, 'kpr.runScenario', [uri, 'dio-write-vs-fault']);
    assert.deepEqual(run, recorded.runs['dio-write-vs-fault']);
  });

  test('the quick pick\'s list carries each applicable scenario\'s verdict', async () => {
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [uri]);
    assert.deepEqual(list.map((x) => [x.id, x.verdict]), [
      ['dio-write-vs-fault', 'fixes mapped-uptodate · introduces dio-coherency'],
      ['truncate-vs-fault', undefined],
      ['my-invalidate-twice', 'nothing breaks on either side'],
    ]);
  });

  test('kpr/verdict: per message the verdict counted by rule, and status → rule → places → scenarios', () => {
    const verdict = verdicts.at(-1);
    assert.ok(verdict, 'a kpr/verdict notification arrived with the diagnostics');
    const unchecked = first.diagnostics.find((d) => d.code === 'unchecked-return')!;
    assert.deepEqual(verdict, {
      uri,
      version: 1,
      model: 'done',
      messages: [{
        index: 0,
        line: 0,
        counts: 'fixes 1 · introduces 1 · still has 1 · not judged 0',
        detail: 'fixes 1 (mapped-uptodate) · introduces 1 (dio-coherency) · still has 1 (unchecked-return)',
        verdict: { fixes: ['mapped-uptodate'], introduces: ['dio-coherency'], narrows: [], widens: [], remains: ['unchecked-return'], unjudged: [] },
        groups: [
          { status: 'introduced', rules: [{ rule: 'dio-coherency', places: [{ range: recorded.findings[1]!.range, message: `${recorded.findings[1]!.message} It breaks when fault gets in (filemap_nopage() at 2.6.10/filemap.c:126) between dio's steps at line 20 and line 23.`, scenarios: ['dio-write-vs-fault'] }] }] },
          { status: 'remaining', rules: [{ rule: 'unchecked-return', places: [{ range: unchecked.range, message: (unchecked.message as string).replace(/ \[remaining\]$/, ''), scenarios: [] }] }] },
          { status: 'fixed', rules: [{ rule: 'mapped-uptodate', places: [{ range: recorded.findings[0]!.range, message: recorded.findings[0]!.message, scenarios: ['dio-write-vs-fault'] }] }] },
        ],
      }],
    });
  });

  test('running a scenario that is not offered is an error', async () => {
    await assert.rejects(command(s, 'kpr.runScenario', [uri, 'no-such-scenario']), /not offered/);
  });

  test('kpr/modelSource serves the era library file behind a kpr-model: uri', async () => {
    const text = await within(10_000, 'modelSource', s.connection.sendRequest<string | null>('kpr/modelSource', { uri: 'kpr-model:/2.6.10/filemap.c' }));
    assert.ok(text);
    // The 2.6.10 layer's file, as on disk: do_generic_mapping_read looks the page up by index.
    assert.ok(text.split('\n').some((l) => /find_get_page\(mapping, index\)/.test(l)));
    assert.match(text, /^\/\*\n \* mm\/filemap\.c as of late 2004 \(2\.6\.10\)/);
    // The layer's diff, for the lines it changed: filemap_nopage's lookup by pgoff is context there.
    const diff = await s.connection.sendRequest<string | null>('kpr/modelSource', { uri: 'kpr-model:/2.6.10/filemap.c.patch' });
    assert.ok(diff?.split('\n').some((l) => /^[ +]\tpage = find_get_page\(mapping, pgoff\);/.test(l)));
    assert.equal(await s.connection.sendRequest<string | null>('kpr/modelSource', { uri: 'kpr-model:/9.9.9/none.c' }), null);
  });

  test('kpr/ruleDoc serves the page a diagnostic code links to', async () => {
    const page = await within(10_000, 'ruleDoc', s.connection.sendRequest<string | null>('kpr/ruleDoc', { uri: 'kpr-rule:/stray-page.md' }));
    assert.ok(page);
    assert.match(page, /^# stray-page\n/);
    assert.match(page, /truncate-vs-fault/);
    assert.equal(await s.connection.sendRequest<string | null>('kpr/ruleDoc', { uri: 'kpr-rule:/no-such-rule.md' }), null);
  });
});

describe('restricted mode (userScenarios: false) and the model tier switched off', () => {
  let s: Session;
  let first: PublishDiagnosticsParams;

  before(async () => ({ s, first } = await openSession({ debounceMs: 10, userScenarios: false, tiers: { model: false } })));
  after(() => s?.kill());

  test('user scenarios are neither listed nor runnable', async () => {
    const list = await command<ScenarioInfo[]>(s, 'kpr.listScenarios', [uri]);
    assert.deepEqual(list.map((x) => x.id), ['dio-write-vs-fault', 'truncate-vs-fault']);
    await assert.rejects(command(s, 'kpr.runScenario', [uri, 'my-invalidate-twice']), /not offered/);
  });

  test('diagnostics carry the static tier only', () => {
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['unchecked-return']);
  });
});
