// The one era chooser (DESIGN section 4): a document in, the era of its message out. The hunk
// below touches do_no_page's first truncate_count sample, which every library era from 2.6.11 to
// 2.6.20 has in the same words (2.6.10 reads an atomic_t, with the barrier outside the test), so
// its code ties them; what the message says about its kernel breaks the tie.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { parseDocument } from '../../server/src/intake/parse';
import { definedIn, messageEras, rankEras } from '../../server/src/functions/era';

const HUNK = `@@ -160,6 +160,7 @@ do_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
 	if (vma->vm_file) {
 		mapping = vma->vm_file->f_mapping;
 		sequence = mapping->truncate_count;
+		/* comment only */
 		smp_rmb(); /* serializes i_size against truncate_count */
 	}
 retry:
`;

function eraOf(head: string, oldPath = 'a/mm/memory.c', newPath = 'b/mm/memory.c'): string[] {
  const text = `${head}\n\n--- ${oldPath}\n+++ ${newPath}\n${HUNK}`;
  return [...messageEras(parseDocument(text, 'x.patch')).values()];
}

before(() => initEngine());

test('the code alone ties the eras that share the function, and the newest wins', () => {
  const ranked = rankEras([HUNK.split('\n').slice(1).filter((l) => !l.startsWith('+')).map((l) => l.slice(1))]);
  assert.deepEqual(ranked.slice(0, 6).map((r) => r.era), ['2.6.20', '2.6.19', '2.6.18', '2.6.15', '2.6.12', '2.6.11']);
  assert.equal(new Set(ranked.slice(0, 6).map((r) => r.score)).size, 1);
  assert.ok(ranked[6]!.score < ranked[0]!.score, '2.6.10 does not tie');
  assert.deepEqual(eraOf('Subject: [PATCH] mm: a comment'), ['2.6.20']);
});

test('a version in the paths picks the newest tied era not after it', () => {
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.17.13.orig/mm/memory.c', 'linux-2.6.17.13/mm/memory.c'), ['2.6.15']);
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.11.orig/mm/memory.c', 'linux-2.6.11/mm/memory.c'), ['2.6.11']);
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.18.8.orig/mm/memory.c', 'linux-2.6.18.8/mm/memory.c'), ['2.6.18']);
  // An -rc counts as the release it is being made into.
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.19-rc2.orig/mm/memory.c', 'linux-2.6.19-rc2/mm/memory.c'), ['2.6.19']);
});

test('a version in the subject counts the same way', () => {
  assert.deepEqual(eraOf('Subject: [PATCH 2.6.18.1] mm: a comment'), ['2.6.18']);
  assert.deepEqual(eraOf('Subject: [PATCH] 2.6.12 mm: a comment'), ['2.6.12']);
  assert.deepEqual(eraOf('Subject: [PATCH] 2.6.11 mm: a comment'), ['2.6.11']);
});

test('without a version, the message date picks the tied era released nearest to it', () => {
  // Before every tied era: the nearest is the first of them.
  assert.deepEqual(eraOf('Date: Tue, 14 Dec 2004 10:00:00 -0800\nSubject: [PATCH] a comment'), ['2.6.11']);
  assert.deepEqual(eraOf('Date: Mon, 2 Oct 2006 10:00:00 -0700\nSubject: [PATCH] a comment'), ['2.6.18']);
  assert.deepEqual(eraOf('Date: Mon, 21 Feb 2005 20:31:07 +0000\nSubject: [PATCH] a comment'), ['2.6.11']);
  // A diff header's timestamp is a date too (diff -p style, as akpm's patches carry).
  assert.deepEqual(eraOf('A comment.', '25/mm/memory.c\tFri Jul 15 15:13:55 2005', '25-akpm/mm/memory.c\tFri Jul 15 15:13:55 2005'), ['2.6.12']);
});

test('hints never override the code: a line only 2.5.70 holds keeps 2.5.70 whatever the date', () => {
  const ranked = rankEras([['\tpte_chain = pte_chain_alloc(GFP_KERNEL);', '\tif (!pte_chain) {']], [], { versions: ['2.6.20'], date: Date.parse('2007-02-04') });
  assert.equal(ranked[0]!.era, '2.5.70');
});

test('a tied era that already defines a function the patch adds is not its pre-image, whatever the date', () => {
  // The unmap loop of invalidate_inode_pages2_range is the same text from 2.6.18 to 2.6.20, and
  // 2.6.20 took do_launder_page in: a patch adding it applies to the tree before, even dated after.
  const hunk = `@@ -400,6 +400,15 @@ int invalidate_inode_pages2_range(struct
 					  (loff_t)page_index<<PAGE_CACHE_SHIFT,
 					  PAGE_CACHE_SIZE, 0);
 				}
 			}
+			ret = do_launder_page(mapping, page);
 			unlock_page(page);
 		}
 		pagevec_release(&pvec);
`;
  const added = `@@ -330,3 +330,11 @@
 	return 0;
 }
 
+static int do_launder_page(struct address_space *mapping, struct page *page)
+{
+	if (!PageDirty(page))
+		return 0;
+	return mapping->a_ops->launder_page(page);
+}
+
`;
  const doc = (date: string, body: string) => parseDocument(`Date: ${date}\nSubject: [PATCH] launder\n\n--- a/mm/truncate.c\n+++ b/mm/truncate.c\n${body}`, 'x.patch');
  // The call alone: the date picks the era nearest to it.
  assert.deepEqual([...messageEras(doc('Sat, 10 Feb 2007 10:00:00 -0800', hunk)).values()], ['2.6.20']);
  // With the function added whole, 2.6.20 (which defines it) is out; the date picks among the rest.
  assert.deepEqual([...messageEras(doc('Sat, 10 Feb 2007 10:00:00 -0800', added + hunk)).values()], ['2.6.19']);
  assert.deepEqual([...messageEras(doc('Mon, 2 Oct 2006 10:00:00 -0700', added + hunk)).values()], ['2.6.18']);
});

test('definedIn: the functions added lines define, not the calls or macros in a body', () => {
  assert.deepEqual(definedIn(['static int', 'do_launder_page(struct page *page)', '{', '\tlist_for_each(p, head) {', '\t\tfoo(p);', '\t}', '}']), ['do_launder_page']);
  assert.deepEqual(definedIn(['int a(void) { return b(1); }', 'extern int c(void);', '\tif (d(x)) {']), ['a']);
});

test('a series applies to one tree: a message changing a function an earlier message changed takes its era', () => {
  // Message 2's hunk shows only context that every era with a truncate_count retry shares, and
  // its date (December 2004) points at 2.6.10; message 1's removed lines (the plain count) rule
  // 2.6.10 out. Message 2 is placed into what message 1 wrote, so it runs on message 1's era.
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'corpus', 'fault-recheck-series.mbox'), 'utf8');
  const eras = messageEras(parseDocument(text, 'series.mbox'));
  assert.equal(eras.size, 2);
  assert.notEqual(eras.get(0), '2.6.10');
  assert.equal(eras.get(1), eras.get(0));
});
