// The static tier end to end on documents: a patch of this project's own writing, and the seeds,
// go through intake, function extraction and runStaticRules; findings (rule, status, 1-based line
// and the exact text they point at) come out.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { seedPath, seedsSkip } from '../support/seeds';
import { initEngine } from '../support/engine';
import { parseDocument } from '../../server/src/intake/parse';
import { extractFunctions } from '../../server/src/functions/extract';
import { runStaticRules } from '../../server/src/rules/static';
import type { Finding } from '../../server/src/findings';

const repoRoot = join(__dirname, '..', '..');

function check(text: string, path: string): { findings: Finding[]; lines: string[] } {
  const doc = parseDocument(text, path);
  return { findings: runStaticRules(doc, extractFunctions(doc).functions), lines: doc.lines };
}

/** `rule status line "tokens"` for every finding, in document order. */
function summary(r: { findings: Finding[]; lines: string[] }): string[] {
  return r.findings
    .map((f) => {
      const s = f.range.start;
      const e = f.range.end;
      const tokens = s.line === e.line ? r.lines[s.line]!.slice(s.character, e.character) : `${r.lines[s.line]!.slice(s.character)}…`;
      return `${f.rule} ${f.status} ${s.line + 1} ${JSON.stringify(tokens)}`;
    })
    .sort();
}

before(() => initEngine());

test('a patch of our own: introduced, fixed and remaining findings, each on its own tokens', () => {
  const r = check(readFileSync(join(repoRoot, 'test', 'fixtures', 'rules', 'status-mix.patch'), 'utf8'), 'status-mix.patch');
  assert.deepEqual(summary(r), [
    'c-warning introduced 23 "PAGE_CACHE_SHIFT+1"',
    'flag-without-lock introduced 22 "ClearPageUptodate(a)"',
    'lock-order remaining 17 "lock_page(b)"',
    'unchecked-return fixed 12 "filemap_fdatawait(mapping)"',
  ]);
  const flag = r.findings.find((f) => f.rule === 'flag-without-lock')!;
  assert.equal(flag.function, 'shrink_stale_range');
  assert.equal(flag.file, 'mm/stale.c');
  assert.equal(flag.tier, 'static');
  assert.equal(flag.severity, 'warning');
  assert.deepEqual(flag.related?.map((x) => x.range.start.line + 1), [20]);
});

function seed(prefix: string): { findings: Finding[]; lines: string[] } {
  const file = seedPath(prefix);
  return check(readFileSync(file, 'utf8'), basename(file));
}

test('seed 002: the pre side clobbers -EIOCBQUEUED (fixed by the patch), pointing at where it came from', { skip: seedsSkip() }, () => {
  const r = seed('002');
  const clobbers = r.findings.filter((f) => f.rule === 'error-clobber');
  assert.deepEqual(summary({ findings: clobbers, lines: r.lines }).map((s) => s.replace(/ \d+ /, ' N ')), ['error-clobber fixed N "retval = err"']);
  const from = clobbers[0]!.related![0]!.range.start;
  assert.match(r.lines[from.line]!.slice(from.character), /^mapping->a_ops->direct_IO\(/);
  assert.ok(r.lines[clobbers[0]!.range.start.line]!.startsWith('-'), 'a fixed finding points at a removed line');
});

test('seed 001: unchecked invalidate_complete_page and the << precedence warning, both present', { skip: seedsSkip() }, () => {
  const r = seed('001');
  const s = summary(r);
  assert.ok(s.some((x) => /^unchecked-return present \d+ "invalidate_complete_page\(mapping, page\)"$/.test(x)), s.join('\n'));
  assert.ok(s.some((x) => /^c-warning present \d+ "PAGE_CACHE_SHIFT\+1"$/.test(x)), s.join('\n'));
  assert.ok(r.findings.every((f) => f.status === 'present'));
});

test('seed 000: the post side holds the page lock, so no flag-without-lock is introduced', { skip: seedsSkip() }, () => {
  const r = seed('000');
  assert.ok(r.findings.length > 0, 'the static tier ran on the seed');
  assert.deepEqual(r.findings.filter((f) => f.rule === 'flag-without-lock' && f.status !== 'fixed'), []);
});

test('seed 003: the retry drops page_table_lock before sleeping in ->nopage again', { skip: seedsSkip() }, () => {
  const r = seed('003');
  assert.deepEqual(r.findings.filter((f) => f.rule === 'sleep-in-atomic'), []);
});

test('broken C in a hunk yields findings for what can be read and never throws', () => {
  const text = [
    '--- a/mm/odd.c',
    '+++ b/mm/odd.c',
    '@@ -1,4 +1,5 @@',
    ' static void odd(struct page *page)',
    ' {',
    '+\tunlock_page(page);',
    '+\tif (page->index << 2+1) ((( ;',
    ' }',
  ].join('\n');
  const r = check(text, 'odd.patch');
  assert.ok(Array.isArray(r.findings));
  assert.ok(r.findings.every((f) => f.tier === 'static' && f.range.start.line >= 0 && f.range.start.line < r.lines.length));
});
