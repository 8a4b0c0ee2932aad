// Hovers: at most 40 lines on every line of a seed with the model tier's findings; at most 8 trace
// steps around the window; hostile names (backticks, links, HTML in file names, subjects, hunk
// headers, messages, thread names) escaped, rendered by a CommonMark parser to prove it; command
// links only from the server's own ids, and none for clients without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeModelSync } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { Finding, TraceStep } from '../../server/src/findings';
import { hoverText, MAX_LINES } from '../../server/src/lsp/hover';
import { MAX_STEPS, raceWindowMarkdown, stepsAround } from '../../server/src/lsp/trace-hover';
import { windowStep } from '../../server/src/lsp/window-steps';
import { repoRoot } from '../cli/kpr';
import { seedPath, seedsSkip } from '../support/seeds';

const MarkdownIt = createRequire(join(repoRoot, 'package.json'))('markdown-it') as new (o?: object) => { render(s: string): string };
const md = new MarkdownIt({ html: true, linkify: true });

const r = (l: number) => ({ start: { line: l, character: 0 }, end: { line: l, character: 4 } });

test('every line of seed 000 with its model findings hovers in at most 40 lines', { skip: seedsSkip() }, async () => {
  await initEngine();
  const text = readFileSync(seedPath('000'), 'utf8');
  const a = analyze(text, 'seed-000.patch');
  analyzeModelSync(a);
  assert.ok(a.findings.some((f) => f.window && (f.trace?.length ?? 0) > MAX_STEPS), 'the seed has a race window with a long trace');
  let longest = 0;
  for (let line = 0; line < a.document.lines.length; line++) {
    const h = hoverText(a, line, 'file:///seed-000.patch');
    if (h === null) continue;
    const lines = h.split('\n').length;
    longest = Math.max(longest, lines);
    assert.ok(lines <= MAX_LINES, `line ${line + 1}: ${lines} lines`);
    const rows = h.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length;
    if (h.includes('Race window')) assert.ok(/^\| \d+ \|(?:[^|]*\|){2} *[^| ][^|]*\|/m.test(h), `line ${line + 1}: some step shown changes state`);
    assert.ok(rows <= MAX_STEPS, `line ${line + 1}: ${rows} trace rows`);
  }
  assert.ok(longest > 10, 'some hover holds a race window');
});

const step = (thread: string, code: string, effect = ''): TraceStep => ({ thread, function: 'f', source: 'patch', code, effect, range: r(5) });

test('the steps around the window: the victim before, the interferer (its state changes first), the victim after, elisions marked', () => {
  const trace = [
    ...Array.from({ length: 10 }, (_, i) => step('dio', `d${i}`)),
    // The fault's 5th and 10th steps change state (indexes 14 and 19 of the trace).
    ...Array.from({ length: 12 }, (_, i) => step('fault', `f${i}`, i === 4 || i === 9 ? `page 0: count ${i}` : '')),
    ...Array.from({ length: 5 }, (_, i) => step('dio', `e${i}`)),
  ];
  const f: Finding = { rule: 'invalidate-eio', severity: 'warning', status: 'introduced', tier: 'model', message: 'm', range: r(5), scenario: 's', trace,
    window: { from: r(5), to: r(6), thread: 'dio', interferer: { thread: 'fault', function: 'do_no_page', source: 'model' } } };
  assert.equal(windowStep(f), 10);
  assert.deepEqual(stepsAround(f), [9, 10, 11, 12, 13, 14, -1, 19, -1, 22]);
  assert.equal(stepsAround(f).filter((i) => i >= 0).length, MAX_STEPS);
});

const EVIL = '`x` [click](command:kpr.runScenario?%5B%5D) <img src=x onerror=alert(1)> *b* | ~~s~~ \\`';

test('hostile file names, subjects, hunk headers and messages are escaped; the only links are the server\'s', async () => {
  await initEngine();
  const patch = [
    `Subject: [PATCH] ${EVIL}`,
    '',
    'body',
    '---',
    `--- a/mm/${'`'}evil${'`'}](command:x).c`,
    `+++ b/mm/${'`'}evil${'`'}](command:x).c`,
    `@@ -1,3 +1,4 @@ ${EVIL}`,
    ' int f(void)',
    ' {',
    '+\tint x = 1 << 2 + 1;',
    ' }',
    '',
  ].join('\n');
  const a = analyze(patch, 'evil.patch');
  const finding: Finding = { rule: 'dio-coherency', severity: 'error', status: 'introduced', tier: 'model', message: EVIL, range: r(9), scenario: 's)](command:evil', function: EVIL,
    window: { from: r(9), to: r(9), thread: EVIL, interferer: { thread: EVIL, function: EVIL, source: 'model', modelFile: '2.6.10/`x`.c' } },
    trace: [step(EVIL, EVIL, EVIL), { ...step('t', '|a|'), source: 'model', modelFile: '2.6.10/x).c', modelLine: 3 }] };
  a.findings.push(finding);
  for (const links of [true, false]) {
    for (let line = 0; line < a.document.lines.length; line++) {
      const h = hoverText(a, line, 'file:///evil(1).patch', links);
      if (h === null) continue;
      const html = md.render(h);
      assert.doesNotMatch(html, /<img|<s>|<em>b<\/em>|onerror=alert\(1\)"/, `line ${line + 1}: markup from the patch rendered\n${h}`);
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
      for (const href of hrefs) assert.match(href, /^command:kpr\.(showTrace|openModel)\?/, `line ${line + 1}: link ${href}`);
      if (!links) assert.deepEqual(hrefs, [], 'no command links for a client without them');
    }
  }
  // The race window's own links decode to the server's arguments, parentheses and all.
  const html = md.render(raceWindowMarkdown(finding, 'file:///evil(1).patch'));
  const show = [...html.matchAll(/href="command:kpr\.showTrace\?([^"]*)"/g)].map((m) => JSON.parse(decodeURIComponent(m[1]!)));
  assert.deepEqual(show, [['file:///evil(1).patch', 's)](command:evil', 'post', 0]]);
  const open = [...html.matchAll(/href="command:kpr\.openModel\?([^"]*)"/g)].map((m) => JSON.parse(decodeURIComponent(m[1]!)));
  assert.deepEqual(open, [['2.6.10/x).c', 3]]);
  // Code spans survive backticks inside: the rendered code holds the text whole.
  assert.ok(html.includes(`<code>${EVIL.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</code>`), html);
});
