// The editor's own view of a patch in a real VS Code (code-server + chromium, as vscode.test.ts):
// added and removed lines get the diff backgrounds while C keeps its colours and a trailer is
// not marked; the -Wparentheses quick fix is offered and applied with Ctrl+.; the rule page that a
// problem's code links to opens rendered as Markdown. Fixture: test/fixtures/e2e/parentheses.patch.
// Screenshots go to .test-artifacts/e2e/.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadTools, missing, PARENTHESES, repoRoot, type Tools } from './tools';
import {
  extensionLogs, focusEditor, gotoLine, installExtension, launchBrowser, makeSandbox, openWorkbench, populateWorkspace,
  quickOpen, removeSandbox, screenshot, showProblems, startCodeServer, stopProcess, waitForProblem, type CodeServer, type Sandbox,
} from './harness';
import { poll } from './model-steps';

type Page = import('./pw').Page;
type Frame = import('./pw').Frame;
type BrowserContext = import('./pw').BrowserContext;

const tools = loadTools(['node', 'codeServer', 'playwrightCore', 'chromium']);
const needBuild = ['client/dist/extension.js', 'server/dist/kpr.js'].filter((p) => !existsSync(join(repoRoot, p)));
const NAME = 'parentheses.patch';

let sb: Sandbox | undefined;
let cs: CodeServer | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;
let unavailable: string | undefined;
let opened = false;

before(async () => {
  if (typeof tools === 'string') { unavailable = tools; return; }
  if (needBuild.length) { unavailable = `not built: ${needBuild.join(', ')} (npm run build)`; return; }
  sb = makeSandbox('editor');
  populateWorkspace(sb, { [NAME]: PARENTHESES.file });
  installExtension(tools as Tools, sb);
  cs = await startCodeServer(tools as Tools, sb);
  ({ context, page } = await launchBrowser(tools as Tools, sb));
  await openWorkbench(page, cs);
}, { timeout: 300_000 });

after(async () => {
  await context?.close().catch(() => undefined);
  stopProcess(cs?.process);
  removeSandbox(sb);
});

async function step(t: TestContext, name: string, body: (p: Page) => Promise<void>): Promise<void> {
  if (unavailable) return missing(t, unavailable);
  try {
    if (!opened) {
      await quickOpen(page!, NAME);
      await waitForProblem(page!, (l) => l.includes('c-warning') && l.includes('-Wparentheses'), 60_000);
      opened = true;
    }
    await body(page!);
  } catch (err) {
    if (page) await screenshot(page, `${name}-failure`).catch(() => undefined);
    const logs = sb ? extensionLogs(sb) : {};
    const tail = Object.entries(logs).map(([f, text]) => `--- ${f}\n${text.split('\n').slice(-30).join('\n')}`).join('\n');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tail}`);
  }
}

/** What the editor paints on a 1-based line: whole-line background colours and the text colours of its tokens. */
async function paintOf(p: Page, line: number): Promise<{ text: string; backgrounds: string[]; colours: string[] }> {
  const editor = p.locator('[id="workbench.parts.editor"] .monaco-editor').first();
  // No named functions inside: the test runner's transform would wrap them in a helper the page lacks.
  const [got] = await editor.evaluateAll((eds, n) => eds.slice(0, 1).map((ed) => {
    const num = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => (e as HTMLElement).innerText.trim() === String(n));
    if (!num) return undefined;
    const top = num.getBoundingClientRect().top;
    const width = (ed.querySelector('.view-lines') as HTMLElement).getBoundingClientRect().width;
    const backgrounds = [...ed.querySelectorAll('.view-overlays .cdr')]
      .filter((e) => Math.abs(e.getBoundingClientRect().top - top) < 2 && e.getBoundingClientRect().width > width / 2)
      .map((e) => getComputedStyle(e).backgroundColor)
      .filter((c) => c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent');
    const view = [...ed.querySelectorAll('.view-lines .view-line')].find((e) => Math.abs(e.getBoundingClientRect().top - top) < 2) as HTMLElement | undefined;
    const spans = view ? [...view.querySelectorAll('span > span')].filter((s) => (s as HTMLElement).innerText.trim() !== '') : [];
    return { text: view?.innerText.replace(/\u00a0/g, ' ') ?? '', backgrounds, colours: [...new Set(spans.map((s) => getComputedStyle(s).color))] };
  }), line);
  if (!got) throw new Error(`line ${line} is not on screen`);
  return got;
}

/** A red of any theme: red well above both green and blue (#a31515, #e50000, #f44747, …). */
function reddish(c: string): boolean {
  const [r, g, b] = (c.match(/\d+/g) ?? []).map(Number);
  return r! >= 100 && r! > 1.8 * g! && r! > 1.8 * b!;
}

test('added and removed lines get the diff backgrounds; C keeps its colours; the trailer is not marked', { timeout: 180_000 }, (t) =>
  step(t, 'diff-colours', async (p) => {
    await gotoLine(p, 1); // keep the cursor's line highlight away from the lines measured
    const added = await paintOf(p, PARENTHESES.line);
    const removed = await paintOf(p, PARENTHESES.line - 1);
    const context = await paintOf(p, PARENTHESES.line + 1);
    const trailer = await paintOf(p, PARENTHESES.trailerLine);
    t.diagnostic(`added ${JSON.stringify(added)}; removed ${JSON.stringify(removed)}; context ${JSON.stringify(context)}; trailer ${JSON.stringify(trailer)}`);
    assert.match(added.text, /^\+\s+max = size << order \+ 1;$/);
    assert.equal(added.backgrounds.length, 1, 'the added line has one whole-line background');
    assert.equal(removed.backgrounds.length, 1, 'the removed line has one whole-line background');
    assert.notEqual(added.backgrounds[0], removed.backgrounds[0], 'added and removed differ');
    assert.deepEqual(context.backgrounds, [], 'a context line has none');
    assert.deepEqual(trailer.backgrounds, [], 'the Signed-off-by trailer has none');
    assert.ok(!trailer.colours.some(reddish), `the trailer is not red (${trailer.colours.join(', ')})`);
    assert.ok(added.colours.length >= 2, `C highlighting stays inside the added line (${added.colours.join(', ')})`);
    await screenshot(p, 'diff-colours');
  }));

test('the -Wparentheses quick fix is offered on the added line and applied with Ctrl+.', { timeout: 120_000 }, (t) =>
  step(t, 'code-action', async (p) => {
    const item = p.locator('.action-widget .monaco-list-row', { hasText: PARENTHESES.action }).first();
    // Ctrl+. pressed while the editor is still taking focus back from Go to Line, or while the
    // editor's own code-action request for the new cursor position is in flight, opens nothing
    // (seen under load in CI: the problem and the lightbulb there, no widget). Press it again
    // then, a few times; the fix must still be offered and applied below.
    for (let attempt = 1; ; attempt++) {
      await gotoLine(p, PARENTHESES.line, 20); // inside `order + 1`
      await p.keyboard.press('Control+.');
      try {
        await item.waitFor({ timeout: 8_000 });
        break;
      } catch (err) {
        if (attempt === 4) throw err;
        t.diagnostic(`attempt ${attempt}: no quick fix widget after Ctrl+., pressing it again`);
        await p.keyboard.press('Escape');
      }
    }
    const offered = await p.locator('.action-widget .monaco-list-row').allInnerTexts();
    t.diagnostic(`quick fixes offered: ${offered.map((s) => s.trim()).join(' | ')}`);
    await screenshot(p, 'code-action-offered');
    await item.click();
    const after = await poll(p, 'the line to read as fixed', 10_000, async () => (await paintOf(p, PARENTHESES.line)).text,
      (s) => s.replace(/\s+/g, ' ') === PARENTHESES.after.replace(/\s+/g, ' '));
    t.diagnostic(`line ${PARENTHESES.line} after the fix: ${after}`);
    await screenshot(p, 'code-action-applied');
    await focusEditor(p);
    await p.keyboard.press('Control+Z'); // leave the fixture's warning for the next test
  }));

test('the rule page a problem links to opens rendered as Markdown, with its example and how to fix', { timeout: 120_000 }, (t) =>
  step(t, 'rule-page', async (p) => {
    const panel = await showProblems(p);
    const link = panel.locator('[role="treeitem"] a', { hasText: 'c-warning' }).first();
    await link.waitFor({ timeout: 15_000 });
    await link.click();
    const frame = await poll(p, 'the rendered rule page', 30_000, async () => {
      for (const f of p.frames()) {
        if (!f.isDetached() && (await f.locator('h1', { hasText: 'c-warning' }).count().catch(() => 0)) > 0) return f;
      }
      return undefined;
    }, (f): f is Frame => f !== undefined);
    const headings = await frame!.locator('h1, h2').allInnerTexts();
    const code = await frame!.locator('pre code').allInnerTexts();
    const strong = await frame!.locator('strong').allInnerTexts();
    t.diagnostic(`headings: ${headings.join(' | ')}; code blocks: ${code.length}; bold: ${strong.join(' | ')}`);
    assert.deepEqual(headings.slice(0, 2), ['c-warning', 'Example']);
    assert.ok(code.some((c) => c.includes('<<')), 'the example is a rendered code block');
    assert.ok(strong.includes('How to fix.'), 'how to fix, in bold: rendered, not raw **');
    const rawTabs = await p.locator('.tabs-container .tab', { hasText: 'c-warning.md' }).count();
    t.diagnostic(`tabs named c-warning.md: ${rawTabs}`);
    await screenshot(p, 'rule-page');
  }));
