// The one era chooser (DESIGN section 4): a document in, the era of its message out. The hunk
// below touches do_no_page, which no release after 2.6.10 changed in the library, so its code
// ties 2.6.10, 2.6.18, 2.6.19 and 2.6.20; what the message says about its kernel breaks the tie.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/c/parser';
import { parseDocument } from '../../server/src/intake/parse';
import { messageEras, rankEras } from '../../server/src/functions/era';

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

before(() => initParser());

test('the code alone ties the eras that share the function, and the newest wins', () => {
  const ranked = rankEras([HUNK.split('\n').slice(1).filter((l) => !l.startsWith('+')).map((l) => l.slice(1))]);
  assert.deepEqual(ranked.slice(0, 4).map((r) => r.era), ['2.6.20', '2.6.19', '2.6.18', '2.6.10']);
  assert.equal(new Set(ranked.slice(0, 4).map((r) => r.score)).size, 1);
  assert.deepEqual(eraOf('Subject: [PATCH] mm: a comment'), ['2.6.20']);
});

test('a version in the paths picks the newest tied era not after it', () => {
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.17.13.orig/mm/memory.c', 'linux-2.6.17.13/mm/memory.c'), ['2.6.10']);
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.18.8.orig/mm/memory.c', 'linux-2.6.18.8/mm/memory.c'), ['2.6.18']);
  // An -rc counts as the release it is being made into.
  assert.deepEqual(eraOf('A comment.', 'linux-2.6.19-rc2.orig/mm/memory.c', 'linux-2.6.19-rc2/mm/memory.c'), ['2.6.19']);
});

test('a version in the subject counts the same way', () => {
  assert.deepEqual(eraOf('Subject: [PATCH 2.6.18.1] mm: a comment'), ['2.6.18']);
  assert.deepEqual(eraOf('Subject: [PATCH] 2.6.12 mm: a comment'), ['2.6.10']);
});

test('without a version, the message date picks the tied era released nearest to it', () => {
  assert.deepEqual(eraOf('Date: Tue, 14 Dec 2004 10:00:00 -0800\nSubject: [PATCH] a comment'), ['2.6.10']);
  assert.deepEqual(eraOf('Date: Mon, 2 Oct 2006 10:00:00 -0700\nSubject: [PATCH] a comment'), ['2.6.18']);
  // A diff header's timestamp is a date too (diff -p style, as akpm's patches carry).
  assert.deepEqual(eraOf('A comment.', '25/mm/memory.c\tFri Dec 10 15:13:55 2004', '25-akpm/mm/memory.c\tFri Dec 10 15:13:55 2004'), ['2.6.10']);
});

test('hints never override the code: a line only 2.5.70 holds keeps 2.5.70 whatever the date', () => {
  const ranked = rankEras([['\tpte_chain = pte_chain_alloc(GFP_KERNEL);', '\tif (!pte_chain) {']], [], { versions: ['2.6.20'], date: Date.parse('2007-02-04') });
  assert.equal(ranked[0]!.era, '2.5.70');
});

test('a tied era whose library already holds the lines the patch adds is not its pre-image, whatever the date', () => {
  // The unmap loop of invalidate_inode_pages2_range is the same text from 2.6.18 to 2.6.20, and
  // 2.6.20 took this very call in: the patch applies to the tree before it, even dated after it.
  const hunk = `@@ -400,6 +400,7 @@ int invalidate_inode_pages2_range(struct
 					  (loff_t)page_index<<PAGE_CACHE_SHIFT,
 					  PAGE_CACHE_SIZE, 0);
 				}
 			}
+			ret = do_launder_page(mapping, page);
 			unlock_page(page);
 		}
 		pagevec_release(&pvec);
`;
  const doc = (date: string) => parseDocument(`Date: ${date}\nSubject: [PATCH] launder\n\n--- a/mm/truncate.c\n+++ b/mm/truncate.c\n${hunk}`, 'x.patch');
  assert.deepEqual([...messageEras(doc('Sat, 10 Feb 2007 10:00:00 -0800')).values()], ['2.6.19']);
  assert.deepEqual([...messageEras(doc('Mon, 2 Oct 2006 10:00:00 -0700')).values()], ['2.6.18']);
  const pre = hunk.split('\n').slice(1).filter((l) => l !== '' && !l.startsWith('+')).map((l) => l.slice(1));
  const added = [['\t\t\tret = do_launder_page(mapping, page);']];
  const ranked = rankEras([pre], [], { versions: [] }, added);
  assert.equal(ranked.find((r) => r.era === '2.6.20')!.score, ranked[0]!.score, 'the pre-image alone ties 2.6.20');
  assert.notEqual(ranked[0]!.era, '2.6.20');
});
