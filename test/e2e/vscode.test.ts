// The extension in a real VS Code: code-server 4.139.1 (Node 24) driven through Debian chromium by
// playwright-core. Installs the packaged extension, opens a malformed patch and checks that the
// language server's patch-syntax error reaches the Problems panel on the right line and that hovering
// the squiggle explains it. Then walks the model tier on seed 000 as a user would: its race-window
// diagnostic in Problems, the hover's trace table and verdict, Run Scenario… with the trace view
// webview and stepping, the code lens verdict, and the trace view surviving a window reload.
// Screenshots go to .test-artifacts/e2e/. Tools: scripts/e2e-setup.sh.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN, loadTools, missing, repoRoot, seed000, seed000Expectation, type Tools } from './tools';
import { seedsDir } from '../support/seeds';
import {
  extensionLogs, gotoLine, hoverAtCursor, hoverSquiggle, installExtension, launchBrowser, makeSandbox,
  openWorkbench, populateWorkspace, problemCount, quickOpen, removeSandbox, runCommand, screenshot, startCodeServer,
  stopProcess, waitForProblem, type CodeServer, type Sandbox,
} from './harness';
import type { Side } from '../../server/src/findings';
import {
  cursorLine, expectStep, filterProblems, firstPatchStep, hoverAt, hoverSections, openQuickPick, pickItem, poll, sideView,
  traceFrame, waitForLens,
} from './model-steps';

type Page = import('./pw').Page;
type BrowserContext = import('./pw').BrowserContext;

const tools = loadTools(['node', 'codeServer', 'playwrightCore', 'chromium']);
const needBuild = ['client/dist/extension.js', 'server/dist/kpr.js'].filter((p) => !existsSync(join(repoRoot, p)));
const seedFile = seed000();
const SEED = seedFile && needBuild.length === 0 ? seed000Expectation(seedFile) : undefined;

let sb: Sandbox | undefined;
let cs: CodeServer | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;
/** When the seed test opened seed 000: the model tier starts then, so its timing counts from there. */
let seedOpenedAt: number | undefined;
/** Why the shared setup did not happen; each test then skips or fails with it. */
let unavailable: string | undefined;

before(async () => {
  if (typeof tools === 'string') { unavailable = tools; return; }
  if (needBuild.length) { unavailable = `not built: ${needBuild.join(', ')} (npm run build)`; return; }
  const t0 = Date.now();
  sb = makeSandbox('vscode');
  populateWorkspace(sb, { 'broken.patch': BROKEN.file, ...(seedFile && SEED ? { [SEED.workspaceName]: seedFile } : {}) });
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
  if (!SEED) return missing(t, `seed 000 not found in ${seedsDir}`);
  const p = page!;
  try {
    await p.keyboard.press('Escape');
    await quickOpen(p, SEED.workspaceName);
    seedOpenedAt = Date.now();
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

// The model-tier walk on seed 000. Each step builds on the one before (the diagnostic, then the
// run it leads to); a later step whose predecessor failed fails at once, naming it, instead of
// waiting out its own timeouts.
const walked = { problem: false, trace: false };
/** Where Run Scenario opened the post side (its race window), for the reload step. */
const opened = { post: 1 };

/** Runs one step of the walk: skips without tools or seed, and on failure saves `<name>-failure.png` and the logs. */
async function step(t: TestContext, name: string, needs: keyof typeof walked | undefined, body: (p: Page, x: NonNullable<typeof SEED>) => Promise<void>): Promise<void> {
  if (unavailable) return missing(t, unavailable);
  if (!SEED) return missing(t, `seed 000 not found in ${seedsDir}`);
  if (needs && !walked[needs]) throw new Error(`cannot run: the earlier step that ${needs === 'problem' ? 'waits for the model-tier diagnostic' : 'opens the trace view'} did not pass`);
  try {
    await body(page!, SEED);
  } catch (err) {
    if (page) await screenshot(page, `${name}-failure`).catch(() => undefined);
    explain(err);
  }
}

test('VS Code shows a model-tier race window in Problems on its line; its hover shows the trace table and verdict', { timeout: 150_000 }, (t) =>
  step(t, 'seed-000-model', undefined, async (p, x) => {
    await p.keyboard.press('Escape');
    await quickOpen(p, x.workspaceName);
    // Many problems with related rows, and the tree renders only what fits: filter by the rule id
    // (the Problems filter matches a diagnostic's code), so the row we want is among the few left.
    await filterProblems(p, x.rule);
    const t0 = seedOpenedAt ?? Date.now();
    const tag = `[${x.status}, ${x.scenario}]`; // only model-tier findings name a scenario
    // The rule id is only in the row's visible text, glued to the source ("kprinvalidate-eio"): no word boundary.
    const problem = await waitForProblem(p, (l) => l.includes(tag) && l.includes(x.rule), 90_000);
    t.diagnostic(`model-tier diagnostic in Problems ${Date.now() - t0} ms after ${seedOpenedAt ? 'seed 000 was opened' : 'filtering'}; row: ${problem.label.slice(0, 400)}`);
    assert.match(problem.label, new RegExp(`\\b(line|Ln) ${x.line}\\b`), `${x.rule} starts on line ${x.line}, where the engine puts it`);
    assert.match(problem.label, /^(Error|Warning):/, 'an introduced race is a squiggle, not an Info like a fixed one');
    assert.match(problem.label, /kpr/, 'source kpr');
    await screenshot(p, 'seed-000-problems');
    walked.problem = true;

    // The hover on the window's second line: the race-window section with the interleaving table.
    const match = (title: string): boolean => title.includes(x.rule) && title.includes(x.scenario);
    let sections = [] as Awaited<ReturnType<typeof hoverSections>>;
    let why = '';
    // A hover shown while the editor was still busy can miss the server's part: one more try.
    for (let attempt = 1; attempt <= 2 && !sections.some((s) => match(s.title)); attempt++) {
      await p.keyboard.press('Escape');
      await hoverAt(p, x.hoverLine, 10);
      // The server's part of the hover can land after the markers' part.
      try {
        sections = await poll(p, 'the race-window section in the hover', 10_000, () => hoverSections(p), (ss) => ss.some((s) => match(s.title)));
      } catch (err) {
        why = String(err).split('\n')[0]!;
      }
    }
    const s = sections.find((q) => match(q.title));
    assert.ok(s, `no race-window section for ${x.rule}/${x.scenario} in the hover at line ${x.hoverLine}: ${why}`);
    // At most 40 lines: each paragraph, list item and table row of the rendered hover is one.
    const [blocks] = await p.locator('.monaco-hover:not(.hidden)').first().evaluateAll((hs) => hs.map((h) => h.querySelectorAll('.rendered-markdown p, .rendered-markdown li, .rendered-markdown tr, .rendered-markdown h1, .rendered-markdown h2, .rendered-markdown h3, .rendered-markdown hr').length));
    t.diagnostic(`hover: ${blocks} lines (paragraphs, items, table rows)`);
    assert.ok(blocks !== undefined && blocks <= 40, `the hover has at most 40 lines (${blocks})`);
    t.diagnostic(`hover: ${s.title}; ${s.rows.length} trace rows; first: ${JSON.stringify(s.rows[0])}`);
    assert.match(s.title, new RegExp(`^Race window ${x.rule} — ${x.status} in scenario ${x.scenario} \\(post side`));
    assert.deepEqual(s.head, ['#', 'thread', 'code', 'effect', 'where']);
    assert.ok(s.rows.length >= 2, 'an interleaving has steps');
    // At most 8 steps around the window, numbered as in the whole trace; a gap is marked '…'.
    const numbers = s.rows.map((r) => r[0]);
    assert.ok(numbers.filter((n) => n !== '…').length <= 8, `at most 8 steps (${numbers.join(' ')})`);
    for (let i = 1; i < numbers.length; i++) {
      const [a, b] = [numbers[i - 1]!, numbers[i]!];
      if (a === '…' || b === '…') { assert.notEqual(a, b, 'one mark per gap'); continue; }
      assert.equal(Number(b), Number(a) + 1, `steps ${a} and ${b} follow each other or a '…' stands between them`);
    }
    const threads = new Set(s.rows.map((r) => r[1]));
    for (const th of x.threads) assert.ok(threads.has(th), `${th} takes steps (threads: ${[...threads].join(', ')})`);
    assert.ok(s.rows.some((r) => r[1] === x.threads[0] && r[4] === `line ${x.line}`), `a ${x.threads[0]} step on the window's line ${x.line} of the patch`);
    assert.ok(s.rows.some((r) => r[3] !== ''), 'some step shows its effect on the page state');
    assert.match(s.text, new RegExp(`${x.threads[0]} is between two steps when ${x.threads[1]} gets in`));
    // The markers' part comes first in the hover: bring the verdict and the table's head into the picture.
    await p.locator('.monaco-hover:not(.hidden) .rendered-markdown p', { hasText: `Race window ${x.rule}` }).first()
      .scrollIntoViewIfNeeded({ timeout: 3000 }).catch(() => undefined);
    await screenshot(p, 'seed-000-hover');
    await p.locator('.monaco-hover:not(.hidden) .rendered-markdown table tbody tr').nth(2).scrollIntoViewIfNeeded({ timeout: 3000 }).catch(() => undefined);
    await screenshot(p, 'seed-000-hover-table');
    await p.keyboard.press('Escape');
  }));

test('Run Scenario… opens the trace view webview; buttons and arrow keys move the highlighted step', { timeout: 120_000 }, (t) =>
  step(t, 'trace-view', 'problem', async (p, x) => {
    const offered = await openQuickPick(p, 'Kernel Patch: Run Scenario', 'Kernel Patch: Run Scenario');
    t.diagnostic(`quick pick: ${offered.join(' / ')}`);
    assert.ok(offered.some((o) => o.startsWith(x.scenario)), `${x.scenario} is offered`);
    await screenshot(p, 'run-scenario-pick');
    const t0 = Date.now();
    await pickItem(p, x.scenario);
    const frame = await traceFrame(p, 60_000);
    t.diagnostic(`trace view rendered ${Date.now() - t0} ms after the pick (frame ${frame.url().replace(/\?.*/, '')})`);
    const header = await frame.locator('#verdict').first().innerText();
    t.diagnostic(`trace view header: ${header.replace(/\s+/g, ' ')}`);
    assert.match(header, new RegExp(`^${x.scenario}:`));
    const broken = /post \([^)]*\): broken: ([^\n]*)/.exec(header)?.[1] ?? '';
    assert.ok(x.postRules.some((r) => new RegExp(`\\b${r}\\b`).test(broken)), `the post side breaks a rule the engine reports for ${x.scenario} (${x.postRules.join(', ')}): ${broken}`);
    // The view opens each side at its race window: the step its own ⇥ Window button names.
    const windowOf = async (side: Side) => {
      const title = await frame.locator(`section[aria-label="${side} side"] .controls button`, { hasText: 'Window' }).first().getAttribute('title');
      return Number(/^Step (\d+):/.exec(title ?? '')?.[1] ?? 1);
    };
    const w = await windowOf('post');
    opened.post = w;
    // Beside a default editor split the panel is narrow: it shows one side at a time, and the
    // other is a click away. Wider, it shows both.
    const oneSide = (await frame.locator('section[aria-label="pre side"]').count()) === 0;
    const flip = (label: string) => frame.locator('#verdict button', { hasText: label }).first().click();
    t.diagnostic(`opened at the window: post step ${w}; ${oneSide ? 'one side at a time' : 'both sides'}`);
    const post = await expectStep(p, frame, 'post', w, 'opening the view');
    for (const th of x.threads) assert.ok(post.threads.includes(th), `a lane for ${th} (lanes: ${post.threads.join(', ')})`);
    assert.equal(post.blank, 0, 'every step shows its code in its thread\'s lane');
    assert.ok(post.active, 'the post side is the one to step');
    assert.ok(post.steps >= 4, `the post side has steps (${post.steps})`);
    assert.equal(post.position, `step ${w} of ${post.steps}`);
    assert.ok(w + 3 <= post.steps, 'the window has steps after it');
    // The state pane (pages, and the patch's locals) is in view beside the lanes, not below every
    // step; the lanes scroll in their box, so every lane's column can be reached (none is cut off).
    const [height] = await p.locator('body').evaluateAll((bs) => bs.map(() => window.innerHeight));
    const state = await frame.locator('section[aria-label="post side"] table.pages').first().boundingBox();
    const pane = await frame.locator('section[aria-label="post side"] aside.state-pane').first().boundingBox();
    const lanes = await frame.locator('section[aria-label="post side"] .lanes-box').first().boundingBox();
    // Boxes are in the page's coordinates: the view's own box is its root element's.
    const view = await frame.locator('html').first().boundingBox();
    t.diagnostic(`state pane at x=${pane?.x.toFixed(0)} y=${pane?.y.toFixed(0)} w=${pane?.width.toFixed(0)}; lanes box x=${lanes?.x.toFixed(0)} w=${lanes?.width.toFixed(0)}; view x=${view?.x.toFixed(0)} w=${view?.width.toFixed(0)}; page table top at y=${state?.y.toFixed(0)} of a ${height}px window`);
    assert.ok(state && height && state.y < height - 20, 'the state table is in view when the view opens');
    assert.ok(pane && lanes && pane.x >= lanes.x + lanes.width - 1 && pane.y < lanes.y + lanes.height, 'the state pane sits beside the lanes');
    assert.ok(pane && view && pane.x + pane.width <= view.x + view.width + 1, 'the state pane is not cut off at the right');
    const locals = await frame.locator('section[aria-label="post side"] aside.state-pane table.locals thead th').allInnerTexts();
    t.diagnostic(`locals table columns: ${locals.join(' | ')}`);
    assert.ok(locals.includes(x.threads[0]!), `the locals of ${x.threads[0]} in the patch's function are in the pane`);
    const [lanesBox] = await frame.locator('section[aria-label="post side"] .lanes-box').evaluateAll((bs) => bs.map((b) => ({
      overflow: getComputedStyle(b).overflowX, scroll: b.scrollWidth, table: (b.querySelector('table') as HTMLElement).getBoundingClientRect().width,
    })));
    assert.ok(lanesBox, 'the lanes sit in their scroll box');
    assert.equal(lanesBox.overflow, 'auto', 'the lanes scroll sideways instead of being clipped');
    assert.ok(lanesBox.scroll >= Math.floor(lanesBox.table), 'every lane lies inside the scrollable box');
    await screenshot(p, 'trace-view');

    const button = (label: string) => frame.locator('section[aria-label="post side"] .controls button', { hasText: label }).first();
    await button('Forward').click();
    await expectStep(p, frame, 'post', w + 1, 'the Forward button');
    await p.keyboard.press('ArrowRight'); // the click left the focus in the post side
    await expectStep(p, frame, 'post', w + 2, 'ArrowRight');
    await p.keyboard.press('ArrowRight');
    await expectStep(p, frame, 'post', w + 3, 'a second ArrowRight');
    await p.keyboard.press('ArrowLeft');
    await expectStep(p, frame, 'post', w + 2, 'ArrowLeft');
    await button('Back').click();
    await expectStep(p, frame, 'post', w + 1, 'the Back button');
    await p.keyboard.press('ArrowRight');
    await button('Window').click();
    await expectStep(p, frame, 'post', w, 'the ⇥ Window button');
    await button('Violation').click();
    const violated = await sideView(frame, 'post');
    t.diagnostic(`⇥ Window → step ${w}; ✖ Violation → step ${violated.current}`);
    assert.ok(Number(violated.current) >= w, 'the violation comes at or after the window');
    await button('Window').click();
    await expectStep(p, frame, 'post', w, 'the ⇥ Window button again');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    const last = await expectStep(p, frame, 'post', w + 2, 'two ArrowRight after the window');
    assert.equal(last.position, `step ${w + 2} of ${post.steps}`);
    await screenshot(p, 'trace-view-stepped');
    // Opened at the window, the sides step together: pre stands as far from its window as post.
    if (oneSide) await flip('Show before the patch');
    const preW = await windowOf('pre');
    const pre = await sideView(frame, 'pre');
    t.diagnostic(`pre side: window at step ${preW}, now at step ${pre.current} of ${pre.steps}`);
    assert.equal(pre.current, String(Math.min(preW + 2, pre.steps)), 'pre moved with post, aligned at its own window');
    await screenshot(p, 'trace-view-pre-aligned');
    if (oneSide) await flip('Show after the patch');
    await expectStep(p, frame, 'post', w + 2, 'coming back to the post side');
    walked.trace = true;
  }));

test('the verdict at a glance: the status bar, the message lens and the Patch Verdict view, whose places reveal their line', { timeout: 120_000 }, (t) =>
  step(t, 'verdict-view', 'problem', async (p, x) => {
    // The message's lens on the document's first line carries the same verdict.
    // Once the model tier has answered (the server asks VS Code to refresh the lenses then).
    const final = (s: string) => s.startsWith('kpr verdict: ') && !s.includes('analysing');
    const lens = await waitForLens(p, [1, 2], (titles) => titles.some(final));
    const words = lens.titles.find(final)!;
    t.diagnostic(`message lens: ${words}`);
    assert.match(words, /^kpr verdict: fixes \d+ · introduces \d+( · widens \d+)?( · narrows \d+)? · still has \d+ · not judged \d+$/);
    const bar = p.locator('.statusbar-item', { hasText: 'kpr:' }).first();
    const status = await poll(p, 'the status bar verdict', 60_000, () => bar.innerText(), (s) => /introduces \d+/.test(s) && !/analysing/.test(s));
    t.diagnostic(`status bar: ${status}`);
    assert.match(status, /kpr: introduces \d+( · widens \d+)? · still has \d+( · narrows \d+)? · fixes \d+/, 'introduced first, counted by rule');
    await screenshot(p, 'verdict-lens');

    await bar.click(); // the status bar item opens the Patch Verdict view
    const rows = p.locator('.pane', { has: p.locator('.pane-header', { hasText: /patch verdict/i }) }).locator('.monaco-list-row');
    // The tree renders only the rows in view: the statuses that head it and the rules under the first.
    const texts = await poll(p, 'the Patch Verdict view', 20_000, () => rows.allInnerTexts(), (r) => r.some((l) => l.startsWith('introduces')) && r.some((l) => l.startsWith(x.rule)));
    t.diagnostic(`verdict view: ${texts.map((l) => l.replace(/\s+/g, ' ')).join(' | ')}`);
    assert.ok(texts[0]!.startsWith('introduces'), 'statuses, bad news first');
    assert.ok(texts.some((l) => l.startsWith(x.rule)), `${x.rule} under its status`);
    // Open the rule, then click its place at the diagnostic's line: the editor's cursor goes there.
    await rows.filter({ hasText: new RegExp(`^${x.rule}`) }).first().click();
    // The row's text is its label glued to its description ("line 103dio-write-…"): no word boundary.
    // The view refreshes when a verdict notification arrives (the model tier's, the lenses'), and
    // a click that lands during a refresh hits a row that is gone: click again, up to three times.
    let why = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      const place = rows.filter({ hasText: new RegExp(`^line ${x.line}(?!\\d)`) }).first();
      await place.waitFor({ timeout: 10_000 });
      await place.click();
      try {
        await poll(p, `the cursor on line ${x.line}`, 5_000, () => cursorLine(p), (l) => l === x.line);
        why = '';
        break;
      } catch (err) {
        why = String(err).split('\n')[0]!;
        t.diagnostic(`click ${attempt} on the place did not reveal line ${x.line}: ${why}`);
      }
    }
    assert.equal(why, '', `the place reveals line ${x.line}`);
    await screenshot(p, 'verdict-view');
  }));

test('one code lens above the changed function carries the model tier\'s verdict, no run needed', { timeout: 60_000 }, (t) =>
  step(t, 'code-lens', 'problem', async (p, x) => {
    // The lens sits above the function's first line: its name's, or the return type's above it.
    // (a changed signature has its '-' line then its '+' line: the lens may sit above either).
    const lines = [x.functionLine - 1, x.functionLine, x.functionLine + 1];
    const lens = await waitForLens(p, lines, (titles) => titles.some((s) => s.startsWith(`${x.functionName}: `) && s.includes(x.rule)));
    t.diagnostic(`lens above line ${lens.line} (${lens.gap.toFixed(0)} px): ${lens.titles.join(' | ')}`);
    assert.equal(lens.titles.length, 1, 'one lens per changed function');
    assert.match(lens.titles[0]!, new RegExp(`^${x.functionName}: .*introduces [^·]*\\b${x.rule}\\b.* · ▷ Run Scenario…$`));
    await screenshot(p, 'code-lens');
  }));

test('the trace view comes back after a window reload, at the step it was on', { timeout: 120_000 }, (t) =>
  step(t, 'trace-view-reload', 'trace', async (p, x) => {
    const old = await traceFrame(p);
    const t0 = Date.now();
    await runCommand(p, 'Developer: Reload Window');
    await poll(p, 'the window to reload (the old webview frame to go)', 30_000, async () => old.isDetached(), (gone) => gone);
    await p.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The panel serializer (onWebviewPanel:kpr.trace) restores it from the page's saved state.
    const frame = await traceFrame(p, 60_000);
    const post = await expectStep(p, frame, 'post', opened.post + 2, 'the reload');
    t.diagnostic(`trace view restored ${Date.now() - t0} ms after Reload Window, post side at ${post.position}`);
    assert.ok(post.active);
    assert.match(await frame.locator('#verdict').first().innerText(), new RegExp(`^${x.scenario}:`));
    await screenshot(p, 'trace-view-restored');
    // The restored view is live and still knows its document: a click on a step of the patch
    // moves the patch editor's cursor to that step's line.
    const target = await firstPatchStep(frame, 'post');
    assert.ok(target, 'the post side has a step in the patch itself');
    await frame.locator('section[aria-label="post side"] table.lanes tr.step', { hasText: target.where }).first().click();
    const line = await poll(p, `the patch editor to show line ${target.line}`, 15_000, () => cursorLine(p), (n) => n === target.line);
    t.diagnostic(`clicked the step at ${target.where}: the patch editor's cursor is on line ${line}`);
    await screenshot(p, 'trace-view-restored-reveal');
  }));
