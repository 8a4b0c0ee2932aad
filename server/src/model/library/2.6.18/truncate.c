/*
 * mm/truncate.c as of September 2006 (2.6.18), simplified for the model: only the functions that
 * changed since the 2.6.10 layer (the loader takes every other function from the earlier layers).
 *
 * Left out everywhere: partial pages (truncation offsets are page multiples in the scenarios),
 * the "lstart in the middle of a page" zeroing, truncate_inode_pages_range (the model's
 * truncate_inode_pages is its whole-file case), and invalidate_mapping_pages (the non-blocking
 * variant that no scenario runs).
 */

/*
 * invalidate_complete_page: try to drop a locked page.  It fails (returns 0) when the page has
 * already left the mapping, when its buffers cannot be released, when it is dirty, or when
 * anyone but the page cache and our caller holds a reference (the count check that the
 * "invalidate_complete_page() race fix" added in September 2006: a page that a fault mapped
 * again is no longer thrown out from under its pte).  Both re-checks run under tree_lock (an
 * rwlock since 2.6.16), so no lookup can take a reference in between.
 */
static int
invalidate_complete_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;

	if (PagePrivate(page) && !try_to_release_page(page, 0))
		return 0;

	write_lock_irq(&mapping->tree_lock);
	if (PageDirty(page))
		goto failed;
	if (page_count(page) != 2)
		goto failed;
	__remove_from_page_cache(page);
	write_unlock_irq(&mapping->tree_lock);
	ClearPageUptodate(page);
	page_cache_release(page);	/* pagecache ref */
	return 1;
failed:
	write_unlock_irq(&mapping->tree_lock);
	return 0;
}

/*
 * invalidate_inode_pages2_range: drop the pages [start, end] of the file from the cache, even
 * mapped ones: their ptes are shot down first (the whole rest of the range on the first mapped
 * page, then one page at a time for pages faulted back meanwhile).  A page that cannot be
 * dropped makes the call return -EIO; through invalidate_complete_page, that includes a page
 * that anyone else holds a reference to.  Simplified: no wrap-around at the end of pgoff_t.
 */
int invalidate_inode_pages2_range(struct address_space *mapping,
				  pgoff_t start, pgoff_t end)
{
	struct pagevec pvec;
	pgoff_t next;
	int i;
	int ret = 0;
	int did_range_unmap = 0;

	pagevec_init(&pvec, 0);
	next = start;
	while (next <= end && !ret &&
		pagevec_lookup(&pvec, mapping, next,
			min(end - next, (pgoff_t)PAGEVEC_SIZE - 1) + 1)) {
		for (i = 0; !ret && i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			pgoff_t page_index;
			int was_dirty;

			lock_page(page);
			if (page->mapping != mapping) {
				unlock_page(page);
				continue;
			}
			page_index = page->index;
			next = page_index + 1;
			if (page_index > end) {
				unlock_page(page);
				break;
			}
			wait_on_page_writeback(page);
			while (page_mapped(page)) {
				if (!did_range_unmap) {
					/* Zap the rest of the range in one go. */
					unmap_mapping_range(mapping,
					   (loff_t)page_index<<PAGE_CACHE_SHIFT,
					   (loff_t)(end - page_index + 1)
							<< PAGE_CACHE_SHIFT,
					    0);
					did_range_unmap = 1;
				} else {
					/* Faulted back in: zap just this page. */
					unmap_mapping_range(mapping,
					  (loff_t)page_index<<PAGE_CACHE_SHIFT,
					  PAGE_CACHE_SIZE, 0);
				}
			}
			was_dirty = test_clear_page_dirty(page);
			if (!invalidate_complete_page(mapping, page)) {
				if (was_dirty)
					set_page_dirty(page);
				ret = -EIO;
			}
			unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}
	return ret;
}
