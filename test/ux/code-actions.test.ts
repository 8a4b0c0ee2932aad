// Quick fixes: a patch in, the fixes offered for each line out, and the text after applying
// them. Only -Wparentheses on added lines gets one; context and removed lines are left alone
// (editing them would make the patch no longer apply).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, TextEdit } from 'vscode-languageserver/node';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { codeActions } from '../../server/src/lsp/code-actions';

const PATCH = [
  '--- a/mm/example.c',
  '+++ b/mm/example.c',
  '@@ -10,9 +10,10 @@ static int example(struct page *page, int a, int b)',
  ' {',
  ' \tint x, y;',
  '-\ty = a << b + 1;',
  '+\tx = a << b + 1;',
  ' \ty = a << b + 2;',
  '+\tif (x = page_count(page))',
  '+\t\treturn x;',
  ' \treturn y + x;',
  ' }',
  '',
].join('\n');

const URI = 'file:///example.patch';

function apply(lines: string[], action: CodeAction): string[] {
  const edits = [...(action.edit?.changes?.[URI] ?? [])] as TextEdit[];
  const out = [...lines];
  // Later positions first, so earlier offsets stay valid.
  edits.sort((p, q) => q.range.start.line - p.range.start.line || q.range.start.character - p.range.start.character);
  for (const e of edits) {
    const l = out[e.range.start.line]!;
    out[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return out;
}

test('-Wparentheses on added lines gets a quick fix that spells the grouping out; context and removed lines get none', async () => {
  await initEngine();
  const a = analyze(PATCH, 'example.patch');
  const lines = a.document.lines;
  const offered: Record<number, { title: string; after: string }[]> = {};
  for (let line = 0; line < lines.length; line++) {
    const range = { start: { line, character: 0 }, end: { line, character: lines[line]!.length } };
    const actions = codeActions(URI, lines, a.findings, range);
    if (actions.length > 0) offered[line + 1] = actions.map((x) => ({ title: x.title, after: apply(lines, x)[line]! }));
  }
  assert.deepEqual(offered, {
    7: [{ title: 'Parenthesise b + 1 (as gcc suggests)', after: '+\tx = a << (b + 1);' }],
    9: [{ title: 'Parenthesise x = page_count(page) (as gcc suggests)', after: '+\tif ((x = page_count(page)))' }],
  });
});

test('the fixed text no longer draws the warning it fixed', async () => {
  await initEngine();
  let text = PATCH;
  for (let round = 0; round < 3; round++) {
    const a = analyze(text, 'example.patch');
    const lines = a.document.lines;
    const whole = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } };
    const [first] = codeActions(URI, lines, a.findings, whole);
    if (!first) break;
    text = apply(lines, first).join('\n');
  }
  assert.notEqual(text, PATCH, "some fix was applied");
  const after = analyze(text, 'example.patch');
  assert.deepEqual(codeActions(URI, after.document.lines, after.findings, { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }), []);
  assert.deepEqual(after.findings.filter((f) => f.message.includes('[-Wparentheses]') && after.document.lines[f.range.start.line]!.startsWith('+')).map((f) => f.message), []);
});

test('a client diagnostic at the same place is attached to the fix', async () => {
  await initEngine();
  const a = analyze(PATCH, 'example.patch');
  const f = a.findings.find((x) => x.message.includes('[-Wparentheses]') && x.range.start.line === 6)!;
  const diagnostic = { range: f.range, message: 'm', source: 'kpr', code: 'c-warning' };
  const other = { range: f.range, message: 'm', source: 'gcc', code: 'c-warning' };
  const [action] = codeActions(URI, a.document.lines, a.findings, f.range, [diagnostic, other]);
  assert.deepEqual(action?.diagnostics, [diagnostic]);
});

/** Applies an action's edits to the whole text (edits may span lines and insert new ones). */
function applyText(text: string, action: CodeAction): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...(action.edit?.changes?.[URI] ?? [])].sort((p, q) => offset(q.range.start) - offset(p.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const UNCHECKED = [
  '--- a/mm/truncate.c',
  '+++ b/mm/truncate.c',
  '@@ -250,11 +250,13 @@ int invalidate_inode_pages2(struct address_space *mapping)',
  ' {',
  ' \tstruct page *page = find_lock_page(mapping, 0);',
  ' \tint ret = 0;',
  ' ',
  ' \tif (!page)',
  ' \t\treturn 0;',
  '-\tclear_page_dirty(page);',
  '+\twait_on_page_writeback(page);',
  '+\tinvalidate_complete_page(mapping, page);',
  '+\tfilemap_fdatawrite(mapping);',
  ' \tunlock_page(page);',
  ' \tpage_cache_release(page);',
  ' \treturn ret;',
  ' }',
  '',
].join('\n');

test('a discarded invalidate_complete_page() result gets a fix that sets the returned local to -EIO, and the hunk header still counts the lines; an errno call gets none', async () => {
  await initEngine();
  const a = analyze(UNCHECKED, 'unchecked.patch');
  const lines = a.document.lines;
  assert.deepEqual(a.findings.filter((f) => f.rule === 'unchecked-return').map((f) => f.range.start.line + 1), [12, 13]);
  const whole = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } };
  const actions = codeActions(URI, lines, a.findings, whole);
  assert.deepEqual(actions.map((x) => x.title), ['Use the result of invalidate_complete_page(): ret = -EIO when it fails']);
  const fixed = applyText(UNCHECKED, actions[0]!);
  assert.deepEqual(fixed.split('\n').slice(2, 15), [
    '@@ -250,11 +250,14 @@ int invalidate_inode_pages2(struct address_space *mapping)',
    ' {',
    ' \tstruct page *page = find_lock_page(mapping, 0);',
    ' \tint ret = 0;',
    ' ',
    ' \tif (!page)',
    ' \t\treturn 0;',
    '-\tclear_page_dirty(page);',
    '+\twait_on_page_writeback(page);',
    '+\tif (!invalidate_complete_page(mapping, page))',
    '+\t\tret = -EIO;',
    '+\tfilemap_fdatawrite(mapping);',
    ' \tunlock_page(page);',
  ]);
  // The fixed patch still parses (no patch-syntax finding from the count) and the result is used.
  const after = analyze(fixed, 'unchecked.patch');
  assert.deepEqual(after.findings.filter((f) => f.rule === 'patch-syntax' && f.severity === 'error').map((f) => f.message), []);
  assert.deepEqual(after.findings.filter((f) => f.rule === 'unchecked-return').map((f) => f.range.start.line + 1), [14]);
});
