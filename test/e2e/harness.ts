// Small named steps for driving the extension in a real VS Code (code-server in Debian chromium via
// playwright-core), so later tests (trace view, Run Scenario) reuse them: sandbox, install, start,
// open, wait for a problem, hover, screenshot, stop. Selectors lean on keyboard commands and aria
// roles/labels, which survive workbench restyling better than class names.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactsDir, repoRoot, within, type Tools } from './tools';

// playwright-core lives in the e2e cache, not in the repo, so only its types are described here.
type Page = import('./pw').Page;
type BrowserContext = import('./pw').BrowserContext;

export const EXTENSION_ID = 'kernel-patch-reasoner.kernel-patch-reasoner';
const EXTENSION_VERSION = '0.1.0';

/** Throwaway directories for one run: code-server and Chromium write into HOME, XDG_* and TMPDIR. */
export interface Sandbox {
  root: string; home: string; tmp: string; userData: string; extensions: string; workspace: string;
  config: string; browserProfile: string; env: NodeJS.ProcessEnv;
}

export function makeSandbox(name: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `kpr-e2e-${name}-`));
  const dir = (...p: string[]): string => { const d = join(root, ...p); mkdirSync(d, { recursive: true }); return d; };
  const home = dir('home');
  const tmp = dir('tmp');
  const sb: Sandbox = {
    root, home, tmp, userData: dir('user-data'), extensions: dir('extensions'), workspace: dir('workspace'),
    config: join(root, 'config.yaml'), browserProfile: dir('chromium-profile'),
    env: {
      PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: home, TMPDIR: tmp,
      XDG_CONFIG_HOME: dir('xdg', 'config'), XDG_DATA_HOME: dir('xdg', 'data'),
      XDG_CACHE_HOME: dir('xdg', 'cache'), XDG_STATE_HOME: dir('xdg', 'state'), XDG_RUNTIME_DIR: dir('xdg', 'run'),
      // No marketplace: nothing may be fetched, and no "install recommended" prompts appear.
      EXTENSIONS_GALLERY: '{}',
    },
  };
  writeFileSync(sb.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  writeUserSettings(sb, {});
  return sb;
}

/** User settings that keep the workbench quiet and deterministic; `extra` overrides them. */
export function writeUserSettings(sb: Sandbox, extra: Record<string, unknown>): void {
  const settings = {
    'chat.disableAIFeatures': true, // otherwise a built-in chat extension starts (E2E-NOTES 7)
    'security.workspace.trust.enabled': false, // no trust prompt; the workspace is our own fixture
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'editor.hover.delay': 100,
    'window.restoreWindows': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // an empty chat pane otherwise
    ...extra,
  };
  const dir = join(sb.userData, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export function removeSandbox(sb: Sandbox | undefined): void {
  if (sb && !process.env.KPR_E2E_KEEP) rmSync(sb.root, { recursive: true, force: true });
}

/** Copies files into the workspace folder; `files` maps a name in the workspace to a source path. */
export function populateWorkspace(sb: Sandbox, files: Record<string, string>): void {
  for (const [name, src] of Object.entries(files)) cpSync(src, join(sb.workspace, name));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs code-server's CLI under Node 24 (E2E-NOTES 1) with the sandbox's directories. */
function codeServerArgs(tools: Tools, sb: Sandbox, args: string[]): [string, string[]] {
  return [tools.node, [tools.codeServer, '--user-data-dir', sb.userData, '--extensions-dir', sb.extensions, '--config', sb.config, ...args]];
}

function codeServerEnv(tools: Tools, sb: Sandbox): NodeJS.ProcessEnv {
  return { ...sb.env, PATH: `${join(tools.nodeDir, 'bin')}:${process.env.PATH ?? ''}` };
}

/**
 * Installs the extension the way a user would: the .vsix from scripts/package.mjs through
 * `code-server --install-extension`. Falls back to copying the extension folder when packaging
 * fails, and says which way it went.
 */
export function installExtension(tools: Tools, sb: Sandbox): { how: string; ms: number } {
  const t0 = Date.now();
  const vsix = join(sb.root, 'kernel-patch-reasoner.vsix');
  // --no-build: pack the bundles `npm test` has just built instead of rebuilding dist/ under the
  // feet of other test files that run the server at the same time. KPR_E2E_BUILD=1 rebuilds first.
  const flags = process.env.KPR_E2E_BUILD === '1' ? [] : ['--no-build'];
  const pack = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', vsix, ...flags], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  if (pack.status === 0 && existsSync(vsix)) {
    const [cmd, args] = codeServerArgs(tools, sb, ['--install-extension', vsix, '--force']);
    const inst = spawnSync(cmd, args, { env: codeServerEnv(tools, sb), encoding: 'utf8', timeout: 120_000 });
    if (inst.status !== 0) throw new Error(`code-server --install-extension failed:\n${inst.stdout}\n${inst.stderr}`);
    return { how: 'vsix', ms: Date.now() - t0 };
  }
  // The folder layout code-server itself produces from a .vsix: <publisher>.<name>-<version>.
  const dest = join(sb.extensions, `${EXTENSION_ID}-${EXTENSION_VERSION}`);
  for (const p of ['package.json', 'LICENSE', 'README.md', 'client/dist', 'server/dist', 'syntaxes', 'media']) {
    if (existsSync(join(repoRoot, p))) cpSync(join(repoRoot, p), join(dest, p), { recursive: true });
  }
  return { how: `folder copy (package.mjs failed: ${(pack.stderr || pack.stdout || '').trim().split('\n').pop()})`, ms: Date.now() - t0 };
}

export interface CodeServer { url: string; process: ChildProcess; log: () => string }

/** Starts code-server on a free port and resolves once it listens; its output is kept for reports. */
export async function startCodeServer(tools: Tools, sb: Sandbox): Promise<CodeServer> {
  const port = await freePort();
  const [cmd, args] = codeServerArgs(tools, sb, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', sb.workspace,
  ]);
  // detached: the process group can be killed as a whole (code-server forks an extension host).
  const child = spawn(cmd, args, { env: codeServerEnv(tools, sb), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer): void => {
      log += b.toString();
      if (/HTTP server listening on/.test(log)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${log}`)));
  });
  const cs = { url: `http://127.0.0.1:${port}/`, process: child, log: () => log };
  await within(60_000, 'code-server to listen', listening).catch((err) => { stopProcess(child); throw err; });
  return cs;
}

/** Kills a detached process and its group; safe to call twice or on an exited process. */
export function stopProcess(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  const pid = child.pid;
  setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
}

/** Chromium flags that work as root in a container (E2E-NOTES 8). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(tools: Tools, sb: Sandbox): Promise<{ context: BrowserContext; page: Page }> {
  const { chromium } = require(tools.playwrightCore) as typeof import('./pw');
  const context = await within(60_000, 'chromium to start', chromium.launchPersistentContext(sb.browserProfile, {
    executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS,
    env: { ...process.env, ...sb.env } as Record<string, string>,
    // 1600×1000: the size issue 14 asks the trace view to work at beside a default editor split.
    viewport: { width: 1600, height: 1000 },
  }));
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Loads the workbench and waits until the editor area and status bar are there. */
export async function openWorkbench(page: Page, cs: CodeServer): Promise<number> {
  const t0 = Date.now();
  await page.goto(cs.url, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.getByRole('status').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.locator('[id="workbench.parts.statusbar"]').waitFor({ timeout: 30_000 });
  return Date.now() - t0;
}

/** Runs a command through the F1 palette by its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Pick the entry by its title: the first entry can be a recently used command that also matches.
  const option = page.locator('.quick-input-list [role="option"]', { hasText: title }).first();
  await option.waitFor();
  await option.click();
}

/** Opens a workspace file with Ctrl+P and waits for its editor tab to be active. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  // Focus the workbench first: a keystroke into a bare document would reach nothing.
  // The file index of a just-opened workspace can lag on a loaded machine: try Ctrl+P up to three
  // times before giving up.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } }).catch(() => undefined);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    try {
      await page.locator('.quick-input-list [role="option"]', { hasText: name }).first().waitFor({ timeout: 20_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).and(page.locator('.active')).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Focuses the first editor group (Ctrl+1), e.g. after the Problems panel took the focus. */
export async function focusEditor(page: Page): Promise<void> {
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').first().waitFor();
}

/** Moves the cursor in the active editor with Ctrl+G (1-based line and column). */
export async function gotoLine(page: Page, line: number, column = 1): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  // Go to Line is Quick Open in ':' mode; filling replaces the prefix, so it is part of the text.
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Shows the Problems panel (Ctrl+Shift+M; the command toggles, so only when it is not already
 * visible) and returns the panel. Its tree stays hidden while there are no problems.
 */
export async function showProblems(page: Page): Promise<import('./pw').Locator> {
  const panel = page.locator('.markers-panel').first();
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor({ state: 'visible' });
  return panel;
}

export interface Problem { label: string }

/**
 * Polls the Problems panel until a row satisfies `accept`. A row is read as `aria label | visible
 * text`: the aria label has message and position (`Error: hunk cut off: … at line 20 and character
 * 1. … generated by kpr`), the visible text the rule id (`kpr(patch-syntax)`).
 */
export async function waitForProblem(page: Page, accept: (label: string) => boolean, ms = 30_000): Promise<Problem> {
  const panel = await showProblems(page);
  const deadline = Date.now() + ms;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await panel.locator('[role="treeitem"]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('aria-label') ?? ''} | ${(r as HTMLElement).innerText.replace(/\s+/g, ' ')}`));
    const hit = seen.find(accept);
    if (hit) return { label: hit };
    await page.waitForTimeout(250);
  }
  throw new Error(`no matching problem within ${ms} ms; Problems panel rows: ${JSON.stringify(seen)}`);
}

/** The status bar's problems item (errors/warnings count), e.g. "Errors: 1, Warnings: 0". */
export async function problemCount(page: Page): Promise<string> {
  const item = page.locator('[id="status.problems"]');
  return (await item.getAttribute('aria-label')) ?? (await item.innerText());
}

/** Shows the hover at the cursor (Ctrl+K Ctrl+I, keyboard only) and returns its text. */
export async function hoverAtCursor(page: Page): Promise<string> {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  await hover.waitFor({ state: 'visible' });
  await page.waitForTimeout(500); // hovers fade in (E2E-NOTES 10)
  return hover.innerText();
}

/** Hovers the mouse over the first error squiggle in the editor and returns the hover text. */
export async function hoverSquiggle(page: Page): Promise<string> {
  const squiggle = page.locator('.monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached' });
  const box = await squiggle.boundingBox();
  if (!box) throw new Error('the error squiggle has no box (scrolled out of view?)');
  await page.mouse.move(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  await hover.waitFor({ state: 'visible' });
  await page.waitForTimeout(500);
  return hover.innerText();
}

/** Saves a full-window screenshot under .test-artifacts/e2e/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, timeout: 15_000 });
  return path;
}

/** Text of an Output channel, e.g. 'Kernel Patch Reasoner' (the language client's log). */
export async function outputChannelText(page: Page, channel: string): Promise<string> {
  await runCommand(page, 'Output: Show Output Channels...');
  const input = page.locator('.quick-input-widget input');
  await input.fill(channel);
  await page.locator('.quick-input-list [role="option"]', { hasText: channel }).first().waitFor();
  await page.keyboard.press('Enter');
  const view = page.locator('.output-view .view-lines, [id="workbench.panel.output"] .view-lines').first();
  await view.waitFor();
  return view.innerText();
}

/**
 * Log files code-server wrote for the extension host and for our output channel (a `log: true`
 * channel is a file under the logs folder). Read from disk, so they are there even when the
 * workbench is not; failures attach them.
 */
export function extensionLogs(sb: Sandbox, match = /exthost\.log$|Kernel Patch Reasoner/): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (match.test(p)) found[p.slice(sb.userData.length + 1)] = readFileSync(p, 'utf8');
    }
  };
  walk(join(sb.userData, 'logs'));
  return found;
}
