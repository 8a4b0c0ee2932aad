// The patch grammar tokenised by VS Code's own TextMate engine (vscode-textmate + oniguruma):
// a mail in, the scopes of its lines out. C inside hunk lines goes to the embedded `source.c`
// grammar; the test supplies a two-rule stand-in for it, as VS Code supplies its C grammar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { repoRoot } from './kpr';

const STAND_IN_C = {
  scopeName: 'source.c',
  patterns: [
    { name: 'keyword.control.c', match: '\\b(if|else|while|for|return|goto)\\b' },
    { name: 'entity.name.function.call.c', match: '\\b[a-z_][a-z0-9_]*(?=\\()' },
  ],
};

async function grammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope === 'source.c') return textmate.parseRawGrammar(JSON.stringify(STAND_IN_C), 'c.json');
      if (scope !== 'source.kernel-patch') return null;
      const path = join(repoRoot, 'syntaxes', 'kernel-patch.tmLanguage.json');
      return textmate.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  const g = await registry.loadGrammar('source.kernel-patch');
  assert.ok(g, 'the grammar loads');
  return g;
}

/** Every token of every line: [line, token text, its scopes]. */
function tokenise(g: textmate.IGrammar, text: string): { line: number; text: string; scopes: string[] }[] {
  const out: { line: number; text: string; scopes: string[] }[] = [];
  let stack = textmate.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

const MAIL = [
  'From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001',
  'From: Test Author <author@example.org>',
  'Subject: [PATCH] mm: re-check after the fault',
  '',
  '> quoted text from the previous mail',
  'Signed-off-by: Test Author <author@example.org>',
  '---',
  'diff -u a/mm/memory.c b/mm/memory.c',
  '--- a/mm/memory.c',
  '+++ b/mm/memory.c',
  '@@ -1,3 +1,3 @@ do_no_page(struct mm_struct *mm)',
  ' \tspin_lock(&mm->page_table_lock);',
  '-\tif (sequence != mapping->truncate_count)',
  '+\tif (unlikely(sequence != mapping->truncate_count))',
  ' \t\tgoto retry;',
  '-- ',
  'a signature',
].join('\n');

test('grammar: mail headers, quotes, trailers, diff headers and hunk lines get their scopes; C is embedded in hunk lines', async () => {
  const tokens = tokenise(await grammar(), MAIL);
  const scopesOf = (line: number, text: string) => tokens.find((t) => t.line === line && t.text.includes(text))?.scopes ?? [];
  const has = (line: number, text: string, scope: string) =>
    assert.ok(scopesOf(line, text).some((s) => s.startsWith(scope)), `line ${line} "${text}": ${scopesOf(line, text).join(' ')} lacks ${scope}`);
  has(0, 'From 1111', 'meta.separator.mbox');
  has(1, 'From', 'keyword.other.mail-header');
  has(2, 'Subject', 'keyword.other.mail-header');
  has(4, 'quoted text', 'markup.quote');
  has(6, '---', 'meta.separator');
  has(5, 'Signed-off-by', 'support.type.trailer');
  assert.ok(!scopesOf(5, 'Signed-off-by').some((s) => s.startsWith('keyword') || s.startsWith('string') || s.startsWith('markup.deleted') || s.startsWith('invalid')), 'no scope a theme paints red');
  has(7, 'diff', 'keyword.other.diff');
  has(10, '@@', 'meta.diff.range.unified');
  has(12, 'if', 'markup.deleted');
  has(13, 'if', 'markup.inserted');
  // C inside hunk lines: the embedded grammar's scopes, under the hunk line's own.
  for (const line of [11, 12, 13, 14]) has(line, line === 11 ? 'spin_lock' : line === 14 ? 'goto' : 'if', 'meta.embedded.block.c');
  has(13, 'if', 'keyword.control.c');
  has(13, 'unlikely', 'entity.name.function.call.c');
  has(14, 'goto', 'keyword.control.c');
  // The signature after the patch is not C.
  assert.ok(!scopesOf(16, 'signature').some((s) => s.startsWith('meta.embedded')), 'the signature is prose');
});
