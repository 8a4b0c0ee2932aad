// Placement is shown where a reviewer reads (issue 11 item 1): the hover on a hunk's `@@` line and
// the text output of `kpr check` say how each hunk was placed into the library's body, and the
// text output notes every hunk that was not, at its `@@` line. A document in, those lines out.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { hoverText } from '../../server/src/lsp/hover';
import { formatText } from '../../server/src/report/text';

const load = (name: string) => analyze(readFileSync(join(__dirname, '..', 'fixtures', 'real', name), 'utf8'), name);

before(() => initEngine());

/** The Placement line of the hover on every `@@` line of the document, by 1-based line. */
function hoverPlacements(name: string): string[] {
  const a = load(name);
  return a.document.files.flatMap((f) => f.hunks.map((h) => `${h.line + 1} ${(hoverText(a, h.line) ?? '').split('\n\n').find((p) => p.startsWith('Placement: ')) ?? '-'}`));
}

test('hover on each @@ line of the lock-page patch: placed since the 2.6.19 layer has the NOPAGE_REFAULT case, the only context of its first hunk', () => {
  assert.deepEqual(hoverPlacements('07-fault-lock-page.patch'), [
    '20 Placement: exact: every statement of its pre-image matched the library body, with nothing between',
    '42 Placement: exact: every statement of its pre-image matched the library body, with nothing between',
    // Its back-out branch has a comment and a `goto unlock` the real code words differently.
    '51 Placement: aligned: 3 of 3 context statements matched the library body, though not word for word or not one after another',
    '60 Placement: exact: every statement of its pre-image matched the library body, with nothing between',
  ]);
});

test('hover on the @@ lines of the launder-page patch: a struct hunk has no placement, a new function is whole, call sites exact', () => {
  assert.deepEqual(hoverPlacements('03-launder-page.patch'), [
    '21 -',
    '33 Placement: whole: the patch holds the whole definition',
    '49 Placement: exact: every statement of its pre-image matched the library body, with nothing between',
    '57 Placement: exact: every statement of its pre-image matched the library body, with nothing between',
  ]);
});

/** The lines of `kpr check`'s text output that are about placement. */
const placementText = (name: string) => formatText([load(name)]).split('\n').filter((l) => /: placement of |: note: hunk /.test(l));

test('text output: the counts of a document, and a note at each hunk not placed', () => {
  assert.deepEqual(placementText('07-fault-lock-page.patch'), ['07-fault-lock-page.patch: placement of 4 hunks: 3 exact, 1 aligned']);
  // Since the 2.6.23 layer holds filemap_fault, the label-headed hunk lands in it.
  assert.deepEqual(placementText('08-filemap-fault-endless-retry.patch'), ['08-filemap-fault-endless-retry.patch: placement of 1 hunk: 1 exact']);
  assert.deepEqual(placementText('06-do-no-page-retry-rmb.patch'), ['06-do-no-page-retry-rmb.patch: placement of 1 hunk: 1 exact']);
});

test('hover on a hunk that changes only the comment above a function names that function, with no placement', () => {
  const text = [
    '--- a/mm/truncate.c',
    '+++ b/mm/truncate.c',
    '@@ -60,6 +60,7 @@',
    ' /*',
    ' * This is for invalidate_inode_pages().  That function can be called at',
    '+ * any time, and is not supposed to throw away dirty pages.',
    ' */',
    ' static int',
    ' invalidate_complete_page(struct address_space *mapping, struct page *page)',
    '',
  ].join('\n');
  const a = analyze(text, 'comment.patch');
  const parts = (hoverText(a, 2) ?? '').split('\n\n').filter((p) => /^(Function|Placement)/.test(p));
  assert.deepEqual(parts, ['Function: `invalidate_complete_page` (the hunk changes its leading comment)']);
});

test('an aligned hunk whose every statement matched says why it is not exact (02: the call site aligned, not word for word)', () => {
  assert.deepEqual(hoverPlacements('02-iip2-ignore-refcounts.patch').filter((l) => l.startsWith('63 ')), [
    '63 Placement: aligned: 5 of 5 context statements matched the library body, though not word for word or not one after another',
  ]);
});
