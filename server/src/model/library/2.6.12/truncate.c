/*
 * mm/truncate.c as of June 2005 (2.6.12), simplified for the model: only the functions that
 * changed since the 2.6.11 layer (the loader takes every other function from the earlier layers).
 * 2.6.12 gave invalidate_inode_pages2() a range, so that O_DIRECT drops only the pages it wrote.
 * From 2.6.12 to 2.6.14 invalidate_inode_pages2_range() shifted a page index, a pgoff_t, left by
 * PAGE_CACHE_SHIFT without widening it to loff_t first, which on a 32-bit machine loses the high
 * bits of any offset past 4 GiB ("32bit integer overflow in invalidate_inode_pages2()", November
 * 2005, added the casts).
 *
 * Left out everywhere: partial pages, invalidate_inode_pages (the non-blocking variant).
 */

/*
 * invalidate_inode_pages2_range: drop the pages [start, end] of the file from the cache, even
 * mapped ones, whose ptes are shot down first (the rest of the range on the first mapped page,
 * then one page at a time for pages faulted back meanwhile).  A page that cannot be dropped
 * makes the call return -EIO.  The byte offsets handed to unmap_mapping_range are computed in
 * pgoff_t, an unsigned long: 32 bits on i386, so past 4 GiB the unmap aims at the wrong place,
 * the page stays mapped and the loop never ends.  `wrapped` stops the walk at the end of pgoff_t.
 */
int invalidate_inode_pages2_range(struct address_space *mapping,
				  pgoff_t start, pgoff_t end)
{
	struct pagevec pvec;
	pgoff_t next;
	int i;
	int ret = 0;
	int did_range_unmap = 0;
	int wrapped = 0;

	pagevec_init(&pvec, 0);
	next = start;
	while (next <= end && !ret && !wrapped &&
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
			if (next == 0)
				wrapped = 1;
			if (page_index > end) {
				unlock_page(page);
				break;
			}
			wait_on_page_writeback(page);
			while (page_mapped(page)) {
				if (!did_range_unmap) {
					/* Zap the rest of the file in one hit. */
					unmap_mapping_range(mapping,
					    page_index << PAGE_CACHE_SHIFT,
					    (end - page_index + 1)
							<< PAGE_CACHE_SHIFT,
					    0);
					did_range_unmap = 1;
				} else {
					/* Just zap this page */
					unmap_mapping_range(mapping,
					  page_index << PAGE_CACHE_SHIFT,
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

/* invalidate_inode_pages2: the whole file. */
int invalidate_inode_pages2(struct address_space *mapping)
{
	return invalidate_inode_pages2_range(mapping, 0, -1);
}
