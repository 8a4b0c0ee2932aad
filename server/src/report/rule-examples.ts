/**
 * For each rule's page (rule-page.ts): a short example of code that breaks it, in the kernel C of
 * the 2.6 era, and how such code is usually fixed. The examples are this project's own sketches of
 * the pattern, not kernel source; they show the shape a reviewer looks for, not a complete
 * function. Typed by RuleId, so a new rule cannot ship without its example.
 */
import type { RuleId } from '../findings';

export interface RuleExample {
  /** C lines (no diff markers). */
  example: string[];
  /** One or two sentences. */
  fix: string;
}

export const RULE_EXAMPLES: Record<RuleId, RuleExample> = {
  'mapped-uptodate': {
    example: ['/* invalidation drops PG_uptodate while a pte still maps the page */', 'if (page_mapped(page))', '\tClearPageUptodate(page);'],
    fix: 'Unmap the page first (unmap_mapping_range) or leave PG_uptodate alone on a mapped page; a fault must only map a page once its read has completed.',
  },
  'dirty-uptodate': {
    example: ['ClearPageUptodate(page);', '/* a store through a pte then calls set_page_dirty(page) */'],
    fix: 'Do not clear PG_uptodate on a page that can still be dirtied (mapped, or with dirty buffers); clear the dirty bit and write the page back first.',
  },
  'stray-page': {
    example: ['remove_from_page_cache(page);', '/* ... while a racing fault has just mapped it */'],
    fix: 'Zap the ptes under the mapping\'s truncate_count protocol (unmap_mapping_range before and after truncation) so a fault that raced retries.',
  },
  'dio-coherency': {
    example: ['retval = mapping->a_ops->direct_IO(WRITE, iocb, iov, offset, nr_segs);', '/* cached pages of the range are left as they were */'],
    fix: 'After the O_DIRECT write, invalidate the cached pages of its range (invalidate_inode_pages2) and handle the result, unmapping mapped ones first.',
  },
  'dirty-data-loss': {
    example: ['if (!invalidate_complete_page(mapping, page))', '\tclear_page_dirty(page); /* the last store is thrown away */'],
    fix: 'Never drop the dirty bit of a page that stays in the cache; write it back (or set it dirty again) when it cannot be dropped.',
  },
  'aio-complete-once': {
    example: ['retval = -EIO; /* after submission returned -EIOCBQUEUED */', 'return retval; /* the caller completes the iocb; the bio end_io does too */'],
    fix: 'Once an iocb is queued, keep -EIOCBQUEUED as the return value and report later errors through the iocb\'s completion.',
  },
  'invalidate-eio': {
    example: ['if (!invalidate_complete_page(mapping, page))', '\tret = -EIO; /* also when only its buffers could not be released */'],
    fix: 'Report failure only for a page a user really pins (elevated count, still mapped after unmapping); retry or write back pages that are merely busy.',
  },
  deadlock: {
    example: ['lock_page(page);', 'down(&inode->i_sem); /* another path takes i_sem, then the page lock */'],
    fix: 'Take the locks in one order everywhere (i_sem before the page lock), or drop one before taking the other.',
  },
  livelock: {
    example: ['while (page_mapped(page)) {', '\tunmap_mapping_range(mapping, start, len, 0);', '\t/* a fault maps it again before the test */', '}'],
    fix: 'Bound the retry or make progress certain (unmap the whole range once, then treat a page mapped again as a failure to report).',
  },
  'sleep-in-atomic': {
    example: ['spin_lock(&mapping->tree_lock);', 'lock_page(page); /* may sleep */'],
    fix: 'Take the sleeping lock before the spinlock, or use the non-sleeping variant (TestSetPageLocked) and back off when it fails.',
  },
  'lock-order': {
    example: ['lock_page(pages[1]);', 'lock_page(pages[0]); /* a second locker takes them in index order */'],
    fix: 'Lock pages in ascending index order; sort a batch before locking it.',
  },
  'flag-without-lock': {
    example: ['/* page lock not held */', 'ClearPageUptodate(page);'],
    fix: 'Change PG_uptodate and remove the page from the cache only with lock_page() held; check page->mapping again once locked.',
  },
  'unchecked-return': {
    example: ['invalidate_inode_pages2(mapping); /* failure ignored */'],
    fix: 'Use the result: return it, or pass it on (retval = err when no other error is pending).',
  },
  'error-clobber': {
    example: ['retval = generic_file_direct_IO(...); /* may be -EIOCBQUEUED */', 'err = invalidate_inode_pages2(mapping);', 'if (err)', '\tretval = err;'],
    fix: 'Keep a pending -EIOCBQUEUED: only replace retval when it is not -EIOCBQUEUED (or report the later error another way).',
  },
  'c-warning': {
    example: ['max = size << order + 1; /* reads as (size << order) + 1, is size << (order + 1) */'],
    fix: 'Do what gcc suggests: spell the grouping out with parentheses (the quick fix does this for -Wparentheses), compare like-signed values, use what you compute.',
  },
  'patch-syntax': {
    example: ['@@ -100,10 +100,11 @@', '/* ...but the hunk body has only 4 old and 5 new lines */'],
    fix: 'Regenerate the patch (diff -up, git format-patch) instead of editing hunks by hand, or correct the counts in the @@ header.',
  },
  unmodeled: {
    example: ['do_something_new(page); /* no model of this function */'],
    fix: 'Nothing to fix in the patch: the note says what the model did not cover. Add a model of the call, or read that part by hand.',
  },
};
