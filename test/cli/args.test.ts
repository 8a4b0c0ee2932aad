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
];
for (const [argv, kind] of cases) {
  test(`kpr ${argv.join(' ')} → ${kind}`, () => {
    assert.equal(parseArgs(argv).kind, kind);
  });
}
