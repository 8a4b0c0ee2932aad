// The real-shaped corpus (test/fixtures/real, README there): patches written the way kernel
// developers posted them against the kernel of their era, each placed into the model library by
// its statements, and each paired with the same change written against the library's own text.
// A document in, per hunk its function and placement out; for every pair, the bodies the model
// runs (pre and post of every function both place) are the same code, so the verdicts are too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { extractFunctions } from '../../server/src/functions/extract';
import { hunkOwners } from '../../server/src/functions/hunk-owners';
import { codeKeys } from '../../server/src/functions/splice';
import type { PatchFunction } from '../../server/src/functions/patch-function';
import { parseDocument } from '../../server/src/intake/parse';
import { placementWhy } from '../../server/src/report/finding-message';

const dir = join(__dirname, '..', 'fixtures', 'real');

function load(name: string) {
  const doc = parseDocument(readFileSync(join(dir, name), 'utf8'), name);
  const { functions, problems } = extractFunctions(doc);
  const hunks = hunkOwners(doc, functions).flat();
  return { doc, functions, problems, hunks };
}

/** Per hunk: [function, placement, why as the surfaces word it] (`why` only for hunks that were not placed). */
const rows = (name: string) => load(name).hunks.map((o) => [o.function ?? null, o.placement?.placement ?? null, (o.placement && placementWhy(o.placement)) ?? null]);

/** The code of a body, token by token (whitespace and comments aside). */
const code = (text: string | undefined) => codeKeys((text ?? '').split('\n')).map((k) => k.strict).filter((k) => k !== '');

before(() => initEngine());

const NOT_IN_LIBRARY = 'removed by the hunk, is not in the library body';

const EXPECTED: Record<string, (string | null)[][]> = {
  // Context the library leaves out (BUG_ON) is tolerated.
  '01-icp-count-check.patch': [['invalidate_complete_page', 'aligned', null]],
  // The new function is whole; the call site is placed into 2.6.18 (the mail's date breaks the
  // tie; 2.6.20 already calls invalidate_complete_page2).
  '02-iip2-ignore-refcounts.patch': [['invalidate_complete_page2', 'whole', null], ['invalidate_inode_pages2_range', 'aligned', null]],
  // The fs.h hunk changes a struct member, in no function.
  '03-launder-page.patch': [[null, null, null], ['do_launder_page', 'whole', null], ['invalidate_inode_pages2_range', 'exact', null], ['invalidate_inode_pages2_range', 'exact', null]],
  // Its uncast pre-image is the 2.6.12 layer's text, word for word.
  '04-iip2-range-shift.patch': [['invalidate_inode_pages2_range', 'exact', null]],
  // 2.6.10's atomic_t truncate_count, word for word in do_no_page; unmap_mapping_range's context
  // shows the `details` the library leaves out.
  '05-truncate-count-int.patch': [['unmap_mapping_range', 'aligned', null], ['do_no_page', 'exact', null], ['do_no_page', 'exact', null]],
  '06-do-no-page-retry-rmb.patch': [['do_no_page', 'exact', null]],
  // The first hunk's only context is the NOPAGE_REFAULT case (2.6.19 on); the hunks headed by
  // the `retry:` label join do_no_page.
  '07-fault-lock-page.patch': [
    ['do_no_page', 'exact', null], ['do_no_page', 'exact', null], ['do_no_page', 'aligned', null], ['do_no_page', 'exact', null],
  ],
  // The label-headed hunk lands in the 2.6.23 layer's filemap_fault, whose context it shows.
  '08-filemap-fault-endless-retry.patch': [['filemap_fault', 'exact', null]],
  // `diff -u` without -p: no names on the @@ lines; the context names the function.
  '09-iip2-range-wrap.patch': [['invalidate_inode_pages2_range', 'exact', null], ['invalidate_inode_pages2_range', 'aligned', null]],
  // hg export, no function names: the library already orders the first sample.
  '10-hg-do-no-page-rmb.patch': [['do_no_page', 'not-placed', 'first unmatched line `if (vma->vm_file)` is in the library body, but not in this order or not with these braces (line 20)']],
  // Message 2 is placed onto message 1's result: it removes the lines message 1 added.
  '11-series-count-under-lock.mbox': [['invalidate_complete_page', 'exact', null], ['invalidate_complete_page', 'aligned', null]],
  // Message 2's context does not show the check message 1 wrote: reported, not papered over.
  '11-series-mismatch.mbox': [['invalidate_complete_page', 'exact', null], ['invalidate_complete_page', 'not-placed', "a line an earlier message of the series wrote is not in this hunk's context (line 17)"]],
  '12-truncate-count-barriers.patch': [['unmap_mapping_range', 'aligned', null]],
};

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`${name}: every hunk's function and placement`, () => {
    assert.deepEqual(load(name).doc.problems, []);
    assert.deepEqual(rows(name), expected);
  });
}

/** Twins written against the library's text: the change's own text, placed there exactly. */
const PAIRS = ['01-icp-count-check', '02-iip2-ignore-refcounts', '03-launder-page', '04-iip2-range-shift', '06-do-no-page-retry-rmb', '07-fault-lock-page', '09-iip2-range-wrap', '11-series-count-under-lock'];

const placed = (f: PatchFunction) => f.preOrigin !== 'fragment' && f.postOrigin !== 'fragment';

for (const pair of PAIRS) {
  test(`${pair}: the real patch and its library twin give the model the same code where both are placed`, () => {
    const ext = pair.startsWith('11-') ? '.mbox' : '.patch';
    const real = load(pair + ext);
    const twin = load(pair + '.lib' + ext);
    assert.deepEqual(twin.problems, []);
    assert.deepEqual(twin.doc.problems, []);
    // Every function of the twin is placed (or whole).
    assert.deepEqual(twin.functions.filter((f) => !placed(f)).map((f) => f.name), []);
    // A plain diff is outside mails (-1), a mail is message 0: compare by order of message.
    const key = (f: PatchFunction) => `${Math.max(f.message, 0)}:${f.name}`;
    const twins = new Map(twin.functions.map((f) => [key(f), f]));
    let compared = 0;
    for (const f of real.functions.filter(placed)) {
      const t = twins.get(key(f));
      assert.ok(t, `${key(f)} in the twin`);
      // The same library too: the same code on another era's library is another verdict.
      assert.equal(f.era, t.era, `${key(f)} era`);
      assert.deepEqual(code(f.pre?.c.text), code(t.pre?.c.text), `${key(f)} pre`);
      assert.deepEqual(code(f.post?.c.text), code(t.post?.c.text), `${key(f)} post`);
      compared++;
    }
    // Every function of a real patch is placed (07's first hunk since the 2.6.19 layer has NOPAGE_REFAULT).
    const unplaced = real.functions.filter((f) => !placed(f)).map((f) => f.name);
    assert.deepEqual(unplaced, []);
    assert.ok(compared + unplaced.length > 0);
  });
}
