/*
 * mm/truncate.c as of January 2006 (2.6.15), simplified for the model: only the functions that
 * changed since the earlier layers.  2.6.15 widened the page index to loff_t before shifting it
 * into a byte offset ("32bit integer overflow in invalidate_inode_pages2()", November 2005).
 *
 * Left out everywhere: partial pages, invalidate_mapping_pages (the non-blocking variant).
 */

/*
 * invalidate_inode_pages2_range: drop the pages [start, end] of the file from the cache, even
 * mapped ones: their ptes are shot down first (the whole rest of the range on the first mapped
 * page, then one page at a time for pages faulted back meanwhile).  A page that cannot be
 * dropped makes the call return -EIO (from 2.6.18, through invalidate_complete_page's count
 * check, that includes a page that anyone else holds a reference to).  Simplified: the `wrapped`
 * stop at the end of pgoff_t, which the release has, is left out (no scenario caches the last
 * index of pgoff_t).
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
