/*
 * mm/truncate.c as of October 2007 (2.6.23), simplified for the model: only the functions that
 * changed since the earlier layers.  With the fault path holding the page lock until the pte is
 * in ("mm: fix fault vs invalidate race for linear mappings", July 2007), truncate and
 * invalidation unmap a still-mapped page under its page lock, so no fault can map it again
 * before it leaves the cache.
 *
 * Left out everywhere: partial pages (truncation offsets are page multiples in the scenarios,
 * so truncate_partial_page never runs), dirty accounting (cancel_dirty_page is the clearing of
 * PG_dirty inside truncate_complete_page), and invalidate_mapping_pages (the non-blocking
 * variant that no scenario runs).
 */

/*
 * truncate_inode_pages_range: remove the pages of [lstart, lend].  The first pass skips pages
 * it cannot lock without sleeping or that are under writeback; the second locks and waits for
 * each.  Both unmap a page that is still mapped before removing it, under its lock.
 * Simplified: no partial page; the BUG_ON on an unaligned lend is left out (every caller here
 * passes -1).
 */
void truncate_inode_pages_range(struct address_space *mapping,
				loff_t lstart, loff_t lend)
{
	const pgoff_t start = (lstart + PAGE_CACHE_SIZE-1) >> PAGE_CACHE_SHIFT;
	pgoff_t end;
	struct pagevec pvec;
	pgoff_t next;
	int i;

	if (mapping->nrpages == 0)
		return;

	end = (lend >> PAGE_CACHE_SHIFT);

	pagevec_init(&pvec, 0);
	next = start;
	while (next <= end &&
	       pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			pgoff_t page_index = page->index;

			if (page_index > end) {
				next = page_index;
				break;
			}

			if (page_index > next)
				next = page_index;
			next++;
			if (TestSetPageLocked(page))
				continue;
			if (PageWriteback(page)) {
				unlock_page(page);
				continue;
			}
			if (page_mapped(page)) {
				unmap_mapping_range(mapping,
				  (loff_t)page_index<<PAGE_CACHE_SHIFT,
				  PAGE_CACHE_SIZE, 0);
			}
			truncate_complete_page(mapping, page);
			unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}

	next = start;
	for ( ; ; ) {
		cond_resched();
		if (!pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
			if (next == start)
				break;
			next = start;
			continue;
		}
		if (pvec.pages[0]->index > end) {
			pagevec_release(&pvec);
			break;
		}
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];

			if (page->index > end)
				break;
			lock_page(page);
			wait_on_page_writeback(page);
			if (page_mapped(page)) {
				unmap_mapping_range(mapping,
				  (loff_t)page->index<<PAGE_CACHE_SHIFT,
				  PAGE_CACHE_SIZE, 0);
			}
			if (page->index > next)
				next = page->index;
			next++;
			truncate_complete_page(mapping, page);
			unlock_page(page);
		}
		pagevec_release(&pvec);
	}
}

/* truncate_inode_pages: everything from lstart to the end of the file. */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}
