// Steps for the model tier's editor surfaces in a real VS Code, in the style of harness.ts: the
// Problems filter, the race-window hover's trace table, the Run Scenario quick pick, the trace view
// (a webview, which code-server nests two iframes deep) and code lenses. Aria labels and the
// extension's own markup (media/trace.js) first, workbench class names only where nothing else
// exists; every wait is bounded and says what it saw when it gives up.
import { focusEditor, gotoLine, runCommand, showProblems } from './harness';
import type { Side } from '../../server/src/findings';

type Page = import('./pw').Page;
type Frame = import('./pw').Frame;

/** Polls `read` until `done` accepts its value; on timeout throws `what` with the last value seen. */
export async function poll<T>(page: Page, what: string, ms: number, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (err) {
      error = err; // e.g. a frame detached mid-read: try again
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 1500)}${error ? `; last error: ${String(error).split('\n')[0]}` : ''}`);
}

/**
 * Types `text` into the Problems filter. Seed 000 has two dozen problems, each with its related
 * lines as child rows, and the panel's tree renders only the rows in view: filtering is the way
 * to bring a given problem into the DOM.
 */
export async function filterProblems(page: Page, text: string): Promise<void> {
  await showProblems(page);
  const input = page.locator('input[aria-label="Filter Problems"]').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
}

/** A race-window section of the hover: its title line, the verdict paragraph, and its trace table. */
export interface HoverSection {
  title: string;
  text: string;
  head: string[];
  rows: string[][];
}

/**
 * Reads the race-window sections of the visible hover. The server's markdown puts a
 * `**Race window** rule — status …` paragraph before each section's trace table, so tables are
 * assigned to the paragraph that precedes them.
 */
export async function hoverSections(page: Page): Promise<HoverSection[]> {
  // No named helper functions inside: tsx (esbuild keepNames) wraps them in a `__name` call that
  // does not exist in the page this function is sent to.
  return page.locator('.monaco-hover:not(.hidden) .rendered-markdown').evaluateAll((roots) => {
    const sections: { title: string; text: string; head: string[]; rows: string[][] }[] = [];
    for (const root of roots) {
      for (const el of root.querySelectorAll('p, table')) {
        const text = (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
        if (el.tagName === 'P' && text.startsWith('Race window')) sections.push({ title: text, text: '', head: [], rows: [] });
        const current = sections[sections.length - 1];
        if (!current) continue;
        if (el.tagName === 'P' && current.title !== text) current.text += (current.text ? '\n' : '') + text;
        if (el.tagName === 'TABLE' && current.head.length === 0) {
          const [head, ...rows] = [el.querySelector('thead tr'), ...el.querySelectorAll('tbody tr')]
            .map((tr) => [...(tr?.children ?? [])].map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
          current.head = head ?? [];
          current.rows = rows;
        }
      }
    }
    return sections;
  });
}

/** Shows the keyboard hover (Ctrl+K Ctrl+I) at a 1-based line and column of the active editor. */
export async function hoverAt(page: Page, line: number, column: number): Promise<void> {
  await gotoLine(page, line, column);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await page.locator('.monaco-hover:not(.hidden)').first().waitFor({ state: 'visible' });
}

/** Runs a palette command that opens a quick pick titled `title`; returns the offered labels. */
export async function openQuickPick(page: Page, command: string, title: string): Promise<string[]> {
  await runCommand(page, command);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const options = page.locator('.quick-input-widget .quick-input-list [role="option"]');
  await options.first().waitFor({ state: 'visible', timeout: 30_000 });
  return options.evaluateAll((os) => os.map((o) => (o.getAttribute('aria-label') ?? (o as HTMLElement).innerText).trim()));
}

/** Narrows the open quick pick to `label` and accepts the item whose label it is. */
export async function pickItem(page: Page, label: string): Promise<void> {
  await page.locator('.quick-input-widget input').first().fill(label);
  const first = page.locator('.quick-input-widget .quick-input-list [role="option"]').first();
  await poll(page, `the quick pick to put "${label}" first`, 10_000, async () => (await first.getAttribute('aria-label')) ?? '', (l) => l.startsWith(label));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden' });
}

/**
 * The frame that holds the trace view's page (media/trace.js renders `section.side`). code-server
 * puts a webview in an iframe (pre/index.html) that hosts another (pre/fake.html) with the
 * extension's HTML; scanning every frame keeps this independent of that nesting.
 */
export async function traceFrame(page: Page, ms = 30_000): Promise<Frame> {
  const found = await poll(page, 'the trace view webview to render its sides', ms, async () => {
    for (const f of page.frames()) {
      if (!f.isDetached() && (await f.locator('section.side').count()) > 0) return f;
    }
    return undefined;
  }, (f) => f !== undefined);
  return found!;
}

/** What the trace view shows for one side: the highlighted step and the "step n of m" text. */
export interface SideView {
  current: string;
  position: string;
  active: boolean;
  threads: string[];
  steps: number;
  /** Steps whose code is in no lane (a thread without a column): must stay 0. */
  blank: number;
}

export async function sideView(frame: Frame, side: Side): Promise<SideView> {
  const section = frame.locator(`section[aria-label="${side} side"]`).first();
  const [view] = await section.evaluateAll((els) => els.map((s) => ({
    current: (s.querySelector('table.lanes tr.current td.num') as HTMLElement | null)?.innerText.trim() ?? '',
    position: (s.querySelector('.position') as HTMLElement | null)?.innerText.trim() ?? '',
    active: s.classList.contains('active'),
    threads: [...s.querySelectorAll('table.lanes thead th')].map((th) => (th as HTMLElement).innerText.trim()).slice(1),
    steps: s.querySelectorAll('table.lanes tr.step').length,
    blank: [...s.querySelectorAll('table.lanes tr.step')].filter((r) => !r.querySelector('td.lane.on')).length,
  })));
  if (!view) throw new Error(`the trace view has no ${side} side`);
  return view;
}

/** Waits until the side's highlighted step is `step` (1-based), e.g. after a key or a button. */
export async function expectStep(page: Page, frame: Frame, side: Side, step: number, after: string): Promise<SideView> {
  return poll(page, `step ${step} to be highlighted on the ${side} side after ${after}`, 10_000, () => sideView(frame, side), (v) => v.current === String(step));
}

/** A code lens line of the editor: its titles and how far its bottom is above the given line's top. */
export interface LensAbove {
  titles: string[];
  gap: number;
}

/**
 * The code lens line directly above 1-based `line` of the first editor group, scrolled into view
 * with Ctrl+G. Lenses out of view keep old titles until scrolled in, so this is read after the
 * scroll. Returns undefined while no lens sits within one line height above the line.
 */
export async function lensAbove(page: Page, line: number): Promise<LensAbove | undefined> {
  const editor = page.locator('[id="workbench.parts.editor"] .monaco-editor').first();
  return editor.evaluateAll((eds, n) => {
    for (const ed of eds) {
      // Line numbers of the text itself, not of the sticky-scroll header that repeats some.
      const num = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => (e as HTMLElement).innerText.trim() === String(n));
      if (!num) continue;
      const top = num.getBoundingClientRect().top;
      const height = num.getBoundingClientRect().height || 19;
      let best: { titles: string[]; gap: number } | undefined;
      for (const lens of ed.querySelectorAll('.codelens-decoration')) {
        if (getComputedStyle(lens).visibility === 'hidden') continue;
        const gap = top - lens.getBoundingClientRect().bottom;
        if (gap < -2 || gap > height) continue;
        if (!best || gap < best.gap) best = { titles: [...lens.querySelectorAll('a')].map((a) => (a as HTMLElement).innerText.trim()), gap };
      }
      if (best) return best;
    }
    return undefined;
  }, line);
}

/** Scrolls the first editor group to `line` and waits for a lens above it whose titles satisfy `accept`. */
export async function waitForLens(page: Page, lines: number[], accept: (titles: string[]) => boolean, ms = 30_000): Promise<LensAbove & { line: number }> {
  await focusEditor(page);
  await gotoLine(page, lines[0]!);
  const found = await poll(page, `a code lens above line ${lines.join(' or ')} that shows the verdict`, ms, async () => {
    for (const line of lines) {
      const lens = await lensAbove(page, line);
      if (lens) return { ...lens, line };
    }
    return undefined;
  }, (l) => l !== undefined && accept(l.titles));
  return found!;
}

/** The first patch step of a side that ran in the patch itself: its row's "where" text and 1-based line. */
export async function firstPatchStep(frame: Frame, side: Side): Promise<{ where: string; line: number } | undefined> {
  const [hit] = await frame.locator(`section[aria-label="${side} side"] table.lanes tr.step td.on .where`).evaluateAll((ws) =>
    ws.map((w) => (w as HTMLElement).innerText.trim()).filter((t) => / · line \d+$/.test(t)).slice(0, 1));
  return hit ? { where: hit, line: Number(/(\d+)$/.exec(hit)![1]) } : undefined;
}

/** The 1-based line the first editor group's cursor is on (its bold line number; shown also unfocused). */
export async function cursorLine(page: Page): Promise<number | undefined> {
  const [n] = await page.locator('[id="workbench.parts.editor"] .monaco-editor .margin-view-overlays .line-numbers.active-line-number')
    .evaluateAll((ns) => ns.map((e) => Number((e as HTMLElement).innerText.trim())));
  return n;
}
