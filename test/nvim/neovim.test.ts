// Neovim's built-in LSP client (Debian neovim 0.7.2) against `kpr lsp --stdio`: proves the server
// works with a client other than VS Code (DESIGN.md §9, §13). The Lua side is test/nvim/check.lua.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKEN, loadTools, missing, PARENTHESES, repoRoot, which, within } from '../e2e/tools';

const server = join(repoRoot, 'server', 'dist', 'kpr.js');
const script = join(repoRoot, 'test', 'nvim', 'check.lua');

interface NvimDiagnostic { lnum: number; col: number; severity: number; message: string; source?: string; code?: string }
interface NvimResult {
  ok: boolean; error?: string; exited?: unknown; diagnostics: NvimDiagnostic[];
  ms_start_to_attach?: number; ms_attach_to_diagnostics?: number; nvim?: string;
  probe?: { hover?: string; actions?: string[]; line_after?: string };
}

/** Runs check.lua on `file` in a throwaway HOME/XDG so Neovim writes no state outside it. */
async function runNvim(nvim: string, file: string, line?: number): Promise<{ result: NvimResult; stderr: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kpr-nvim-'));
  try {
    const xdg = (n: string): string => { const p = join(dir, n); mkdirSync(p); return p; };
    const out = join(dir, 'result.json');
    const env = {
      ...process.env,
      HOME: dir, XDG_CONFIG_HOME: xdg('config'), XDG_DATA_HOME: xdg('data'), XDG_CACHE_HOME: xdg('cache'),
      XDG_STATE_HOME: xdg('state'), TMPDIR: xdg('tmp'),
      KPR_NVIM_NODE: process.execPath, KPR_NVIM_SERVER: server, KPR_NVIM_FILE: file, KPR_NVIM_OUT: out,
      KPR_NVIM_WAIT_MS: '15000',
      ...(line !== undefined ? { KPR_NVIM_LINE: String(line) } : {}),
    };
    const t0 = Date.now();
    const child = spawn(nvim, ['--headless', '--clean', '-c', `luafile ${script}`], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.stdout.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await within(30_000, 'nvim to quit', new Promise<number | null>((resolve) => child.on('exit', resolve)))
      .catch((err: Error) => { child.kill('SIGKILL'); throw err; });
    const ms = Date.now() - t0;
    if (!existsSync(out)) throw new Error(`nvim exited ${code} without writing a result; output:\n${stderr}`);
    return { result: JSON.parse(readFileSync(out, 'utf8')) as NvimResult, stderr, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('neovim 0.7 LSP client receives the patch-syntax diagnostic from kpr lsp --stdio', async (t) => {
  const tools = loadTools(['nvim']);
  const nvim = typeof tools === 'string' ? which('nvim') : tools.nvim;
  if (!nvim) return missing(t, 'nvim not found (Debian package neovim)');
  if (!existsSync(server)) return missing(t, 'server/dist/kpr.js not built (npm run build)');

  const { result, stderr, ms } = await runNvim(nvim, BROKEN.file);
  t.diagnostic(`nvim ${result.nvim}: ${ms} ms in all, diagnostics ${result.ms_attach_to_diagnostics?.toFixed(0)} ms after attach`);
  assert.ok(result.ok, `no diagnostics arrived: ${JSON.stringify(result)}\n${stderr}`);
  const syntax = result.diagnostics.filter((d) => d.code === BROKEN.rule);
  assert.equal(syntax.length, 1, `diagnostics: ${JSON.stringify(result.diagnostics)}`);
  const d = syntax[0]!;
  assert.equal(d.lnum + 1, BROKEN.line, 'on the last body line of the cut-off hunk');
  assert.equal(d.source, 'kpr');
  assert.equal(d.severity, 1, 'vim.diagnostic.severity.ERROR');
  assert.match(d.message, BROKEN.message);
});

test('neovim 0.7 gets a readable hover (no command links) and applies the -Wparentheses quick fix', async (t) => {
  const tools = loadTools(['nvim']);
  const nvim = typeof tools === 'string' ? which('nvim') : tools.nvim;
  if (!nvim) return missing(t, 'nvim not found (Debian package neovim)');
  if (!existsSync(server)) return missing(t, 'server/dist/kpr.js not built (npm run build)');

  const { result, stderr } = await runNvim(nvim, PARENTHESES.file, PARENTHESES.line);
  assert.ok(result.ok, `no diagnostics arrived: ${JSON.stringify(result)}\n${stderr}`);
  const probe = result.probe ?? {};
  t.diagnostic(`hover: ${(probe.hover ?? '').split('\n').length} lines; actions: ${JSON.stringify(probe.actions)}; line after: ${probe.line_after}`);
  assert.ok(result.diagnostics.some((d) => d.code === 'c-warning' && d.lnum + 1 === PARENTHESES.line), `diagnostics: ${JSON.stringify(result.diagnostics)}`);
  assert.match(probe.hover ?? '', /c-warning.*-Wparentheses/, 'the hover explains the warning on the line');
  assert.doesNotMatch(probe.hover ?? '', /command:/, 'no VS Code command links for Neovim');
  assert.ok((probe.hover ?? '').split('\n').length <= 40, 'at most 40 lines');
  assert.deepEqual(probe.actions, [PARENTHESES.action]);
  assert.equal(probe.line_after, PARENTHESES.after);
});

test('neovim 0.7 applies the quick fix that uses a discarded invalidate_complete_page() result', async (t) => {
  const tools = loadTools(['nvim']);
  const nvim = typeof tools === 'string' ? which('nvim') : tools.nvim;
  if (!nvim) return missing(t, 'nvim not found (Debian package neovim)');
  if (!existsSync(server)) return missing(t, 'server/dist/kpr.js not built (npm run build)');

  // The protocol tests' fixture: line 12 is the added `+\tinvalidate_complete_page(mapping, page);`.
  const file = join(repoRoot, 'test', 'fixtures', 'protocol', 'unchecked-result.patch');
  const { result, stderr } = await runNvim(nvim, file, 12);
  assert.ok(result.ok, `no diagnostics arrived: ${JSON.stringify(result)}\n${stderr}`);
  const probe = result.probe ?? {};
  t.diagnostic(`actions: ${JSON.stringify(probe.actions)}; line after: ${probe.line_after}`);
  assert.ok(result.diagnostics.some((d) => d.code === 'unchecked-return' && d.lnum + 1 === 12), `diagnostics: ${JSON.stringify(result.diagnostics)}`);
  assert.deepEqual(probe.actions, ['Use the result of invalidate_complete_page(): ret = -EIO when it fails']);
  assert.equal(probe.line_after, '+\tif (!invalidate_complete_page(mapping, page))');
});
