// The extension in a real VS Code: code-server 4.139.1 (Node 24) driven through Debian chromium by
// playwright-core. Installs the packaged extension, opens a malformed patch and checks that the
// language server's patch-syntax error reaches the Problems panel on the right line and that hovering
// the squiggle explains it. Screenshots go to .test-artifacts/e2e/. Tools: scripts/e2e-setup.sh.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN, loadTools, missing, repoRoot, type Tools } from './tools';
import {
  extensionLogs, gotoLine, hoverAtCursor, hoverSquiggle, installExtension, launchBrowser, makeSandbox,
  openWorkbench, populateWorkspace, problemCount, quickOpen, removeSandbox, screenshot, startCodeServer,
  stopProcess, waitForProblem, type CodeServer, type Sandbox,
} from './harness';

type Page = import('./pw').Page;
type BrowserContext = import('./pw').BrowserContext;

const tools = loadTools(['node', 'codeServer', 'playwrightCore', 'chromium']);
const needBuild = ['client/dist/extension.js', 'server/dist/kpr.js'].filter((p) => !existsSync(join(repoRoot, p)));

/** Seed 000 of the shared corpus (KPR_SEEDS or ../shared/seeds), or undefined where there is none. */
function seed000(): string | undefined {
  const dir = process.env.KPR_SEEDS || join(repoRoot, '..', 'shared', 'seeds');
  const name = existsSync(dir) ? readdirSync(dir).find((n) => n.startsWith('000_')) : undefined;
  return name ? join(dir, name) : undefined;
}

let sb: Sandbox | undefined;
let cs: CodeServer | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;
/** Why the shared setup did not happen; each test then skips or fails with it. */
let unavailable: string | undefined;

before(async () => {
  if (typeof tools === 'string') { unavailable = tools; return; }
  if (needBuild.length) { unavailable = `not built: ${needBuild.join(', ')} (npm run build)`; return; }
  const t0 = Date.now();
  sb = makeSandbox('vscode');
  const seed = seed000();
  populateWorkspace(sb, { 'broken.patch': BROKEN.file, ...(seed ? { 'seed-000.patch': seed } : {}) });
  const inst = installExtension(tools as Tools, sb);
  console.log(`# extension installed by ${inst.how} in ${inst.ms} ms`);
  cs = await startCodeServer(tools as Tools, sb);
  ({ context, page } = await launchBrowser(tools as Tools, sb));
  const ms = await openWorkbench(page, cs);
  console.log(`# code-server up and workbench ready in ${Date.now() - t0} ms (workbench ${ms} ms)`);
}, { timeout: 300_000 });

// Always runs, also after a failed setup: no code-server or chromium may outlive the test file.
after(async () => {
  await context?.close().catch(() => undefined);
  stopProcess(cs?.process);
  removeSandbox(sb);
});

/** On failure, prints what the extension host said: activation errors and the client's log. */
function explain(err: unknown): never {
  const logs = sb ? extensionLogs(sb) : {};
  const tail = Object.entries(logs).map(([f, text]) => `--- ${f}\n${text.split('\n').slice(-40).join('\n')}`).join('\n');
  throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tail}\n--- code-server\n${cs?.log().slice(-3000) ?? ''}`);
}

test('VS Code shows the patch-syntax error in Problems and explains it on hover', { timeout: 120_000 }, async (t) => {
  if (unavailable) return missing(t, unavailable);
  const p = page!;
  try {
    const t0 = Date.now();
    await quickOpen(p, 'broken.patch');
    const tOpen = Date.now();
    const problem = await waitForProblem(p, (label) => label.includes(BROKEN.rule));
    t.diagnostic(`file open ${tOpen - t0} ms, diagnostic in Problems ${Date.now() - tOpen} ms later`);
    t.diagnostic(`problem row: ${problem.label}`);
    assert.match(problem.label, BROKEN.message);
    assert.match(problem.label, new RegExp(`\\b(line|Ln) ${BROKEN.line}\\b`), 'reported on the last body line of the cut-off hunk');
    assert.match(problem.label, /kpr/, 'source kpr');
    const count = await problemCount(p);
    t.diagnostic(`status bar: ${count}`);
    assert.match(count, /Errors?: 1\b|\b1 error/i);
    await screenshot(p, 'broken-patch-problems');

    // Hover the squiggle with the mouse, as a user would; fall back to the keyboard hover at the line.
    await gotoLine(p, BROKEN.line);
    let hover: string;
    let how = 'mouse on the squiggle';
    try {
      hover = await hoverSquiggle(p);
    } catch (err) {
      how = `keyboard (Ctrl+K Ctrl+I), the mouse hover failed: ${String(err).split('\n')[0]}`;
      hover = await hoverAtCursor(p);
    }
    t.diagnostic(`hover by ${how}: ${hover.replace(/\s+/g, ' ').slice(0, 300)}`);
    assert.match(hover, BROKEN.message);
    assert.match(hover, /patch-syntax/);
    await screenshot(p, 'broken-patch-hover');
  } catch (err) {
    if (page) await screenshot(page, 'broken-patch-failure').catch(() => undefined);
    explain(err);
  }
});

test('VS Code opens seed 000 as a kernel patch; the extension and its server start cleanly', { timeout: 120_000 }, async (t) => {
  if (unavailable) return missing(t, unavailable);
  if (!seed000()) return missing(t, 'seed 000 not found (set KPR_SEEDS)');
  const p = page!;
  try {
    await p.keyboard.press('Escape');
    await quickOpen(p, 'seed-000.patch');
    // The language picker in the status bar names the document's language (E2E-NOTES 9: the
    // built-in `diff` language also claims *.patch).
    const mode = p.locator('[id="status.editor.mode"]');
    await mode.waitFor();
    const language = (await mode.innerText()).trim();
    t.diagnostic(`language: ${language}; status bar: ${await problemCount(p)}`);
    assert.match(language, /Kernel Patch/);
    // The client writes to its log channel once started; its presence proves activation.
    const logs = extensionLogs(sb!);
    t.diagnostic(`extension logs: ${Object.keys(logs).join(', ') || 'none'}`);
    const exthost = Object.entries(logs).filter(([f]) => f.endsWith('exthost.log')).map(([, s]) => s).join('\n');
    assert.match(exthost, /_doActivateExtension kernel-patch-reasoner\.kernel-patch-reasoner\b/, 'activated');
    assert.doesNotMatch(exthost, /Activating extension 'kernel-patch-reasoner[^']*' failed/);
    // The language client logs its server's stderr and start failures to this channel as errors.
    const client = Object.entries(logs).filter(([f]) => f.includes('Kernel Patch Reasoner')).map(([, s]) => s).join('\n');
    assert.doesNotMatch(client, /\[error\]/, `the language server must start cleanly:\n${client.slice(0, 2000)}`);
    await p.waitForTimeout(1500); // let the model tier's first pass land before the picture
    await screenshot(p, 'seed-000');
  } catch (err) {
    if (page) await screenshot(page, 'seed-000-failure').catch(() => undefined);
    explain(err);
  }
});
