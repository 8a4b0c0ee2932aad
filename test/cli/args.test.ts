// Command-line parsing as data: argv in, the parsed command (or the usage error) out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../server/src/cli/args';

const cases: [string[], string][] = [
  [['lsp', '--stdio'], 'lsp'],
  // vscode-languageclient appends the client's pid; Neovim passes nothing more.
  [['lsp', '--stdio', '--clientProcessId=8367'], 'lsp'],
  [['lsp', '--clientProcessId', '42', '--stdio'], 'lsp'],
  [['lsp', '--stdio', '--clientProcessId=x'], 'usage-error'],
  [['lsp', '--socket=5000'], 'usage-error'],
  // The folder of user scenarios, on every command that runs or lists scenarios.
  [['check', '--scenarios', 'my/scenarios', 'a.patch'], 'check'],
  [['check', '--scenarios=my/scenarios', 'a.patch'], 'check'],
  [['check', 'a.patch', '--scenarios'], 'usage-error'],
  [['check', '--scenarios=', 'a.patch'], 'usage-error'],
  [['check', '--scenarios', 'a', '--scenarios', 'b', 'a.patch'], 'usage-error'],
  [['scenarios', '--scenarios', 'my/scenarios'], 'scenarios'],
  [['scenarios', 'a.patch', '--scenarios=my/scenarios'], 'scenarios'],
  [['scenarios', 'a.patch', 'b.patch'], 'usage-error'],
  [['scenarios', '--bogus'], 'usage-error'],
  [['run', 'my-scenario', '--scenarios', 'my/scenarios'], 'run'],
  [['run', '--scenarios=my/scenarios', 'my-scenario', '--side', 'post'], 'run'],
  [['run', 'my-scenario', '--scenarios'], 'usage-error'],
];
for (const [argv, kind] of cases) {
  test(`kpr ${argv.join(' ')} → ${kind}`, () => {
    assert.equal(parseArgs(argv).kind, kind);
  });
}

/** Where the folder lands: the parsed command's `scenarioDir` (and the rest parsed around it). */
const folders: [string[], Record<string, unknown>][] = [
  [['check', '--scenarios', 'my/scenarios', 'a.patch'], { kind: 'check', files: ['a.patch'], scenarioDir: 'my/scenarios' }],
  [['check', 'a.patch'], { kind: 'check', files: ['a.patch'], scenarioDir: undefined }],
  [['scenarios', 'a.patch', '--scenarios=d'], { kind: 'scenarios', file: 'a.patch', scenarioDir: 'd' }],
  [['run', '--scenarios', 'd', 'my-scenario', '--patch', 'a.patch'], { kind: 'run', scenario: 'my-scenario', patch: 'a.patch', scenarioDir: 'd' }],
];
for (const [argv, want] of folders) {
  test(`kpr ${argv.join(' ')} → ${JSON.stringify(want)}`, () => {
    const got = parseArgs(argv) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
  });
}

/** The bounds of `check`: each flag sets its bound, the others keep the defaults; bad values are usage errors. */
const boundCases: [string[], Record<string, number> | 'usage-error'][] = [
  [['check', 'a.patch'], { maxMs: 300_000, maxKb: 10_240, maxHeapMb: 2_048 }],
  [['check', '--max-ms', '5000', '--max-kb=64', 'a.patch'], { maxMs: 5000, maxKb: 64, maxHeapMb: 2_048 }],
  [['check', '--max-heap-mb=512', 'a.patch'], { maxMs: 300_000, maxKb: 10_240, maxHeapMb: 512 }],
  [['check', '--max-ms', '0', 'a.patch'], 'usage-error'],
  [['check', '--max-kb=1e3', 'a.patch'], 'usage-error'],
  [['check', '--max-kb', '-5', 'a.patch'], 'usage-error'],
  [['check', 'a.patch', '--max-heap-mb'], 'usage-error'],
  [['check', '--max-ms', '99999999999', 'a.patch'], 'usage-error'],
];
for (const [argv, want] of boundCases) {
  test(`kpr ${argv.join(' ')} → bounds ${JSON.stringify(want)}`, () => {
    const got = parseArgs(argv);
    if (want === 'usage-error') assert.equal(got.kind, 'usage-error');
    else assert.deepEqual(got.kind === 'check' ? got.bounds : got, want);
  });
}

/** `--abi` (DESIGN section 13): where it lands, and what is bad usage. */
const abis: [string[], Record<string, unknown> | 'usage-error'][] = [
  [['check', '--abi', 'ilp32', 'a.patch'], { kind: 'check', files: ['a.patch'], abi: 'ilp32' }],
  [['check', '--abi=lp64', 'a.patch'], { kind: 'check', files: ['a.patch'], abi: 'lp64' }],
  [['check', 'a.patch'], { kind: 'check', files: ['a.patch'], abi: undefined }],
  [['run', 'invalidate-past-4g', '--abi', 'ilp32'], { kind: 'run', scenario: 'invalidate-past-4g', abi: 'ilp32' }],
  [['check', '--abi', 'x86', 'a.patch'], 'usage-error'],
  [['check', 'a.patch', '--abi'], 'usage-error'],
  [['run', 'x', '--abi=i386'], 'usage-error'],
];
for (const [argv, want] of abis) {
  test(`kpr ${argv.join(' ')} → ${want === 'usage-error' ? want : JSON.stringify(want)}`, () => {
    const cmd = parseArgs(argv) as unknown as Record<string, unknown>;
    if (want === 'usage-error') { assert.equal(cmd.kind, 'usage-error'); assert.match(String(cmd.message), /--abi is lp64 or ilp32/); return; }
    for (const [k, v] of Object.entries(want)) assert.deepEqual(cmd[k], v, k);
  });
}

/** `--memory-model sc|weak` on check and run (DESIGN section 13): the value lands in `memoryModel`. */
const models: [string[], Record<string, unknown>][] = [
  [['check', '--memory-model', 'weak', 'a.patch'], { kind: 'check', files: ['a.patch'], memoryModel: 'weak' }],
  [['check', '--memory-model=sc', 'a.patch'], { kind: 'check', files: ['a.patch'], memoryModel: 'sc' }],
  [['check', 'a.patch'], { kind: 'check', files: ['a.patch'], memoryModel: undefined }],
  [['check', '--memory-model', 'tso', 'a.patch'], { kind: 'usage-error', message: '--memory-model is sc or weak, not tso' }],
  [['check', 'a.patch', '--memory-model'], { kind: 'usage-error', message: '--memory-model is sc or weak' }],
  [['run', 'truncate-vs-fault', '--memory-model', 'weak', '--patch', 'a.patch'], { kind: 'run', scenario: 'truncate-vs-fault', patch: 'a.patch', memoryModel: 'weak' }],
  [['run', 'truncate-vs-fault', '--memory-model=relaxed'], { kind: 'usage-error', message: '--memory-model is sc or weak, not relaxed' }],
];
for (const [argv, want] of models) {
  test(`kpr ${argv.join(' ')} → ${JSON.stringify(want)}`, () => {
    const got = parseArgs(argv) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
  });
}
