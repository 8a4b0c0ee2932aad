// "Every problem becomes a finding" in the static tier (static.ts): lowering notes become note
// findings on their own line (deduplicated, capped per function with a summary), and a rule that
// throws becomes an internal-error finding naming it while the other rules still report.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { parseDocument } from '../../server/src/intake/parse';
import { extractFunctions } from '../../server/src/functions/extract';
import { MAX_NOTES_PER_FUNCTION, runStaticRules, STATIC_RULES } from '../../server/src/rules/static';
import { RULES, type Finding } from '../../server/src/findings';
import type { StaticRule } from '../../server/src/rules/rule';

before(() => initEngine());

/** A one-hunk patch of a whole function; `lines` carry their diff marker. Headers are counted. */
function patch(lines: string[]): string {
  const old = lines.filter((l) => l[0] !== '+').length;
  const nu = lines.filter((l) => l[0] !== '-').length;
  return ['--- a/mm/notes.c', '+++ b/mm/notes.c', `@@ -10,${old} +10,${nu} @@`, ...lines, ''].join('\n');
}

function run(text: string, rules?: readonly StaticRule[]): { findings: Finding[]; lines: string[] } {
  const doc = parseDocument(text, 'notes.patch');
  return { findings: runStaticRules(doc, extractFunctions(doc).functions, rules), lines: doc.lines };
}

const notes = (fs: Finding[]) => fs.filter((f) => f.rule === 'unmodeled' || (f.rule === 'patch-syntax' && !f.message.startsWith('Internal error')));
const brief = (r: { findings: Finding[] }) => notes(r.findings).map((f) => `${f.rule} ${f.severity} ${f.status} ${f.range.start.line + 1}`);

const head = [' static int note_fn(struct page *page)', ' {', ' \tint ret = 0;'];
const tail = [' \tunlock_page(page);', ' \treturn ret;', ' }'];

test('an unknown name in added code: one hint on its line, however often the line uses it', () => {
  const r = run(patch([...head, ' \tlock_page(page);', '+\tret = mystery + mystery * mystery;', ...tail]));
  assert.deepEqual(brief(r), ['unmodeled hint introduced 8']);
  const f = notes(r.findings)[0]!;
  assert.equal(f.function, 'note_fn');
  assert.equal(f.file, 'mm/notes.c');
  assert.equal(f.tier, 'static');
  assert.match(f.message, /^'mystery' is not known to the model/);
  assert.equal(f.range.start.line, f.range.end.line, 'kept to one line');
  assert.equal(r.lines[f.range.start.line]!.slice(f.range.start.character, f.range.end.character), 'mystery');
});

test('statuses follow the sides: removed → fixed, kept → remaining (reported once, on the post line)', () => {
  const fixed = run(patch([...head, '-\tret = gone_name;', '+\tret = 1;', ' \tlock_page(page);', ...tail]));
  assert.deepEqual(brief(fixed), ['unmodeled hint fixed 7']);
  const kept = run(patch([...head, ' \tret = kept_name;', '+\tlock_page(page);', ...tail]));
  assert.deepEqual(brief(kept), ['unmodeled hint remaining 7']);
});

test('code the model does not run is an information note; a goto to nowhere a patch-syntax note', () => {
  const r = run(patch([...head, '+#ifdef CONFIG_SMP', '+\tlock_page(page);', '+#endif', '+\tgoto nowhere;', ...tail]));
  const got = notes(r.findings);
  assert.deepEqual(brief(r), ['unmodeled information introduced 7', 'patch-syntax information introduced 10']);
  assert.match(got[0]!.message, /^Preprocessor conditional inside a function: its code is not lowered\.$/);
  assert.match(got[1]!.message, /^Syntax: goto to a label that is not in the code: nowhere/);
  assert.ok(got.every((f) => f.severity !== RULES['patch-syntax'].severity), 'a note never has the severity of a malformed patch');
});

test(`a flood of notes is capped at ${MAX_NOTES_PER_FUNCTION} per function, the rest summed up on the first one left out`, () => {
  const added = Array.from({ length: 30 }, (_, i) => `+\tret += unknown_${i};`);
  const r = run(patch([...head, ...added, ...tail]));
  const got = notes(r.findings);
  assert.equal(got.length, MAX_NOTES_PER_FUNCTION);
  const summary = got[got.length - 1]!;
  assert.equal(summary.rule, 'unmodeled');
  assert.equal(summary.severity, 'information');
  assert.match(summary.message, /^23 more lowering notes in note_fn are not listed \(23 unknown to the model\)/);
  assert.equal(r.lines[summary.range.start.line], '+\tret += unknown_7;');
});

test('mail code: notes are present, like every finding on code pasted into a mail', () => {
  const mail = ['From: A <a@example.invalid>', 'Subject: Re: x', '', 'How about:', '',
    'static int note_fn(struct page *page)', '{', '\tint ret = strange_global;', '\treturn ret;', '}', ''].join('\n');
  const r = run(mail);
  assert.deepEqual(brief(r), ['unmodeled hint present 8']);
});

const throwing: StaticRule = {
  id: 'lock-order',
  name: 'Always throws (test)',
  info: RULES['lock-order'],
  run: () => { throw new TypeError('boom in the rule'); },
};

test('a rule that throws: one internal-error warning naming it, and every other rule still reports', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'rules', 'status-mix.patch'), 'utf8');
  const clean = run(text);
  const r = run(text, [...STATIC_RULES, throwing]);
  const crashes = r.findings.filter((f) => f.message.startsWith('Internal error'));
  assert.equal(crashes.length, 1, 'both sides threw: one finding');
  const c = crashes[0]!;
  assert.equal(c.severity, 'warning');
  assert.equal(c.tier, 'static');
  assert.equal(c.function, 'shrink_stale_range');
  assert.match(c.message, /^Internal error in rule lock-order \(Always throws \(test\)\) on shrink_stale_range \(pre and post side\); its findings here are missing: boom in the rule$/);
  assert.equal(r.lines[c.range.start.line], ' static int shrink_stale_range(struct address_space *mapping, struct page *a, struct page *b)');
  const key = (f: Finding) => `${f.rule} ${f.status} ${f.range.start.line}`;
  assert.deepEqual(r.findings.filter((f) => f !== c).map(key), clean.findings.map(key), 'the other findings are untouched');
});

test('a rule that throws only on one side says which side', () => {
  const postOnly: StaticRule = { ...throwing, run: (ctx) => {
    if (ctx.ir.steps.some((s) => s.op === 'call' && s.callee === 'lock_page')) throw new Error('post only');
    return [];
  } };
  const r = run(patch([...head, '+\tlock_page(page);', ...tail]), [postOnly]);
  const c = r.findings.filter((f) => f.message.startsWith('Internal error'));
  assert.deepEqual(c.map((f) => f.message.match(/\((\w+) side\)/)?.[1]), ['post']);
});
