// The TextMate grammar and language configuration the manifest points at are well formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './kpr';

interface Rule { match?: string; begin?: string; end?: string; patterns?: Rule[]; include?: string; contentName?: string }
const grammar = JSON.parse(readFileSync(join(repoRoot, 'syntaxes', 'kernel-patch.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
};
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { grammars: { scopeName: string; path: string; embeddedLanguages: Record<string, string> }[]; languages: { id: string; configuration: string }[] };
};

function rules(): Rule[] {
  const all: Rule[] = [];
  const walk = (r: Rule): void => {
    all.push(r);
    for (const p of r.patterns ?? []) walk(p);
  };
  grammar.patterns.forEach(walk);
  Object.values(grammar.repository).forEach(walk);
  return all;
}

test('grammar scope and embedded C match the manifest', () => {
  const contributed = manifest.contributes.grammars[0]!;
  assert.equal(grammar.scopeName, 'source.kernel-patch');
  assert.equal(contributed.scopeName, grammar.scopeName);
  assert.equal(contributed.embeddedLanguages['meta.embedded.block.c'], 'c');
  const embedded = rules().filter((r) => r.contentName === 'meta.embedded.block.c');
  assert.equal(embedded.length, 3, 'added, removed and context lines embed C');
  assert.ok(embedded.every((r) => r.patterns?.some((p) => p.include === 'source.c')));
  assert.ok(manifest.activationEvents.includes('onLanguage:kernel-patch'));
});

test('every grammar regex compiles', () => {
  for (const r of rules()) {
    for (const re of [r.match, r.begin, r.end]) if (re !== undefined) assert.doesNotThrow(() => new RegExp(re), re);
  }
});

test('the hunk rule recognises unified hunk headers and stops at the next file header', () => {
  const hunk = grammar.repository.hunk!;
  const begin = new RegExp(hunk.begin!);
  assert.ok(begin.test('@@ -65,6 +65,8 @@ int invalidate_inode_pages2_range(struct address_space *mapping,'));
  assert.ok(begin.test('@@ -1 +1 @@'));
  assert.ok(!begin.test('+@@ -1 +1 @@'));
  const end = new RegExp(hunk.end!);
  assert.ok(end.test('--- a/mm/filemap.c'));
  assert.ok(end.test('diff --git a/mm/filemap.c b/mm/filemap.c'));
  assert.ok(!end.test('+\tlock_page(page);'));
  assert.ok(!end.test(' \tunlock_page(page);'));
});

test('the language configuration is valid JSON with bracket pairs', () => {
  const config = JSON.parse(readFileSync(join(repoRoot, 'syntaxes', 'language-configuration.json'), 'utf8')) as { brackets: string[][] };
  assert.ok(config.brackets.some(([open, close]) => open === '{' && close === '}'));
});
