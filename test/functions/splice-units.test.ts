// spliceFunction and codeKeys on small hand-written library bodies (no era library needed), and
// the era ranking on lines only one era's library holds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { rankEras } from '../../server/src/functions/era';
import { codeKeys, identifyFunction, spliceFunction, type LibraryBody } from '../../server/src/functions/splice';
import type { SpliceLine } from '../../server/src/functions/align';

before(() => initEngine());

const body = (name: string, lines: string[]): LibraryBody => ({ name, file: '9.9.9/test.c', text: lines.join('\n') + '\n', origin: lines.map((_, i) => ({ file: '9.9.9/test.c', line: 100 + i })) });

/** Hunk lines from `<marker><text>` strings; document lines count from `first`. */
function hunk(first: number, lines: string[]): SpliceLine[] {
  return lines.map((l, i) => ({ kind: l[0] as ' ' | '-' | '+', text: l.slice(1), line: first + i, character: 1 }));
}

const LIB = [
  'static int f(struct page *page)',
  '{',
  '\tif (a) {',
  '\t\tunlock(x);',
  '\t\treturn 0;',
  '\t}',
  '\tunlock(x);',
  '\twork(page);',
  '\treturn 1;',
  '}',
];

test('codeKeys ignore whitespace, comments, a leading } and a trailing {', () => {
  const keys = codeKeys(['  if (a)   {  /* note */', '} else {', '', 'x=1; // why']);
  assert.deepEqual(keys.map((k) => k.key), ['if ( a )', 'else', '', 'x = 1 ;']);
  assert.deepEqual(codeKeys(['/* one', ' * two', ' */', 'y();']).map((k) => [k.key, k.code]), [['', false], ['', false], ['', false], ['y ( ) ;', true]]);
  assert.deepEqual(codeKeys(['if (a) {']).map((k) => k.strict), ['if ( a ) {']);
});

test('a statement the body repeats is matched where the hunk\'s neighbours are', () => {
  const r = spliceFunction(body('f', LIB), [hunk(10, [' \tunlock(x);', '+\tlock(y);', ' \twork(page);'])]);
  assert.ok(r.ok);
  assert.equal(r.post.text, LIB.slice(0, 7).concat(['\tlock(y);'], LIB.slice(7)).join('\n') + '\n');
  assert.equal(r.pre.text, LIB.join('\n') + '\n');
  const row = r.post.text.split('\n').indexOf('\tlock(y);');
  assert.deepEqual([r.post.map[row], r.post.origin?.[row]], [{ line: 11, character: 1 }, 'document']);
  assert.deepEqual(r.post.origin?.[3], { file: '9.9.9/test.c', line: 103 });
});

test('context worded with other braces keeps the library line; a removed line must match its braces', () => {
  const ok = spliceFunction(body('f', LIB), [hunk(1, [' \tif (a)', ' \t\tunlock(x);', '-\t\treturn 0;', '+\t\treturn 2;'])]);
  assert.ok(ok.ok);
  assert.match(ok.post.text, /\tif \(a\) \{\n\t\tunlock\(x\);\n\t\treturn 2;\n\t\}/);
  assert.deepEqual(ok.post.origin?.[2], { file: '9.9.9/test.c', line: 102 });
  const bad = spliceFunction(body('f', LIB), [hunk(1, ['-\tif (a)', '+\tif (b)', ' \t\tunlock(x);', ' \t\treturn 0;'])]);
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.misplaced?.text === '\tif (a)');
});

test('hunks must follow one another in the body; a hunk with nothing in common is refused', () => {
  const twoInOrder = spliceFunction(body('f', LIB), [hunk(1, [' \tif (a) {', '+\t\tnote();']), hunk(20, [' \twork(page);', '-\treturn 1;', '+\treturn 3;'])]);
  assert.ok(twoInOrder.ok);
  assert.match(twoInOrder.post.text, /if \(a\) \{\n\t\tnote\(\);\n\t\tunlock\(x\);[\s\S]*work\(page\);\n\treturn 3;\n\}/);
  const reversed = spliceFunction(body('f', LIB), [hunk(20, [' \twork(page);', '+\tnote();']), hunk(1, [' \tif (a) {', '+\t\tnote();'])]);
  assert.equal(reversed.ok, false);
  assert.ok(!reversed.ok && reversed.hunk === 1);
  const foreign = spliceFunction(body('f', LIB), [hunk(1, [' \tfrob(q);', '+\tx = 1;'])]);
  assert.deepEqual(foreign.ok ? 'spliced' : [foreign.hunk, foreign.unmatched?.text], [0, '\tfrob(q);']);
});

test('a splice that would leave the braces unbalanced is refused', () => {
  const r = spliceFunction(body('f', LIB), [hunk(1, [' \tif (a) {', ' \t\tunlock(x);', '-\t\treturn 0;', '-\t}', '+\t\treturn 0;'])]);
  assert.deepEqual(r.ok ? 'spliced' : r.reason, 'braces');
});

test('identifyFunction prefers the body where the hunk lies compactly, and refuses a tie or too little', () => {
  const spread = body('g', ['void g(void)', '{', '\tunlock(x);', '\tmore();', '\tmore2();', '\twork(page);', '\treturn 1;', '}']);
  const h = [hunk(1, [' \tunlock(x);', '+\tlock(y);', ' \twork(page);', ' \treturn 1;'])];
  assert.equal(identifyFunction([spread, body('f', LIB)], h)?.body.name, 'f');
  assert.equal(identifyFunction([body('f', LIB), body('f2', LIB)], h), undefined);
  // Two matched lines could be any function's: no answer.
  assert.equal(identifyFunction([body('f', LIB)], [hunk(1, [' \twork(page);', '+\tx();', ' \treturn 1;'])]), undefined);
});

test('rankEras: lines that only the 2.5.70 library holds rank it first', () => {
  const ranked = rankEras([['\tpte_chain = pte_chain_alloc(GFP_KERNEL);', '\tif (!pte_chain) {', '\t\tret = VM_FAULT_OOM;', '\t\tgoto out;']]);
  assert.equal(ranked[0]?.era, '2.5.70');
  assert.ok(ranked[0]!.score > ranked[1]!.score, JSON.stringify(ranked));
  assert.deepEqual(rankEras([['/* only a comment */', '}']]).map((r) => r.score), ranked.map(() => 0));
});

test('context the library leaves out is tolerated: the change lands between the aligned statements', () => {
  // A real hunk: statistics and a debug check around the library's statements.
  const r = spliceFunction(body('f', LIB), [hunk(1, [
    ' \tif (a) {',
    ' \t\tinc_page_state(pgfoo);',
    ' \t\tunlock(x);',
    '-\t\treturn 0;',
    '+\t\treturn -EIO;',
    ' \t}',
    ' \tBUG_ON(!page);',
    ' \tunlikely(unlock(x));',
  ])]);
  assert.ok(r.ok);
  assert.deepEqual(r.hunks.map((h) => [h.placement, h.matched, h.context]), [['aligned', 4, 6]]);
  assert.equal(r.pre.text, LIB.join('\n') + '\n');
  assert.equal(r.post.text, LIB.join('\n').replace('return 0;', 'return -EIO;') + '\n');
});

test('an added line inside a block the library lacks is not placed, and says which block', () => {
  const r = spliceFunction(body('f', LIB), [hunk(1, [
    ' \tif (PageWriteback(page)) {',
    ' \t\tunlock(x);',
    '+\t\twait(page);',
    ' \t}',
    ' \twork(page);',
  ])]);
  assert.equal(r.ok, false);
  assert.deepEqual(r.hunks.map((h) => [h.placement, h.why, h.whyAt?.line]), [['not-placed', 'first unmatched line `if (PageWriteback(page)) {` holds added lines', 1]]);
});

test('a statement cut by the hunk matches the library statement it ends; a hunk that matches the library text is exact', () => {
  const r = spliceFunction(body('f', LIB), [hunk(1, [' struct page *page)', ' {', ' \tif (a) {', '+\t\tnote();', ' \t\tunlock(x);'])]);
  assert.ok(r.ok);
  assert.deepEqual(r.hunks.map((h) => [h.placement, h.matched, h.context]), [['exact', 3, 3]]);
  assert.match(r.post.text, /^static int f\(struct page \*page\)\n\{\n\tif \(a\) \{\n\t\tnote\(\);\n\t\tunlock\(x\);/);
});
