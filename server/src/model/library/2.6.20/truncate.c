/*
 * mm/truncate.c as of early 2007 (2.6.20), simplified for the model: only the functions
 * that changed since the 2.6.19 layer (the loader takes every other function from the earlier
 * layers).
 *
 * Left out everywhere: partial pages (truncation offsets are page multiples in the scenarios),
 * the "lstart in the middle of a page" zeroing, and invalidate_inode_pages (the
 * non-blocking variant that no scenario runs).
 */

/*
 * do_launder_page: before a dirty page leaves the cache, let the filesystem write it back with
 * the page still locked (->launder_page, added in January 2007 for NFS, whose ->releasepage
 * had done this and deadlocked in reclaim).  A clean page, a page that left the mapping, or a
 * filesystem without the method: nothing to do.
 */
static int do_launder_page(struct address_space *mapping, struct page *page)
{
	if (!PageDirty(page))
		return 0;
	if (page->mapping != mapping || mapping->a_ops->launder_page == NULL)
		return 0;
	return mapping->a_ops->launder_page(page);
}

/*
 * invalidate_inode_pages2_range: drop the pages [start, end] of the file from the cache, even
 * mapped ones: their ptes are shot down first (the whole rest of the range on the first mapped
 * page, then one page at a time for pages faulted back meanwhile).  Once no pte can dirty the
 * page any more, ->launder_page writes it back; a page still dirty (no such method) or that
 * cannot be dropped makes the call return -EIO.  The 2.6.19 clearing of the dirty bit before
 * the drop is gone.  Simplified: no wrap-around at the end of pgoff_t.
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
			ret = do_launder_page(mapping, page);
			if (ret == 0 && !invalidate_complete_page2(mapping, page))
				ret = -EIO;
			unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}
	return ret;
}
