/*
 * mm/truncate.c as of March 2005 (2.6.11), simplified for the model: only the functions that
 * changed since the 2.6.10 layer (the loader takes every other function from the earlier layers).
 * invalidate_complete_page() is still 2.6.10's: no reference count check (that came in 2.6.18).
 *
 * Left out everywhere: partial pages, invalidate_inode_pages (the non-blocking variant).
 */

/*
 * invalidate_inode_pages2: drop every page of the file from the cache, mapped ones included
 * (seed 000's change, merged for 2.6.11): a mapped page's ptes are shot down first, the whole
 * rest of the file on the first mapped page met, then this page alone for a page that a fault
 * mapped again meanwhile.  A page that cannot be dropped makes the call return -EIO.  The
 * single-page unmap passes the page's byte offset plus one as the length, so for any page but
 * the first it unmaps more than the page (harmless, only more ptes go); kept as the release has
 * it.  Since invalidate_complete_page() ignores the count, a page that a fault maps between the
 * loop and the drop is removed and marked not uptodate under its pte.
 */
int invalidate_inode_pages2(struct address_space *mapping)
{
	struct pagevec pvec;
	pgoff_t next = 0;
	int i;
	int ret = 0;
	int did_full_unmap = 0;

	pagevec_init(&pvec, 0);
	while (!ret && pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; !ret && i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			int was_dirty;

			lock_page(page);
			if (page->mapping != mapping) {	/* truncated meanwhile */
				unlock_page(page);
				continue;
			}
			wait_on_page_writeback(page);
			next = page->index + 1;
			while (page_mapped(page)) {
				if (!did_full_unmap) {
					/* Everything from here to the end of the file. */
					unmap_mapping_range(mapping,
						page->index << PAGE_CACHE_SHIFT,
						-1, 0);
					did_full_unmap = 1;
				} else {
					/* Mapped again: this page once more. */
					unmap_mapping_range(mapping,
					  page->index << PAGE_CACHE_SHIFT,
					  (page->index << PAGE_CACHE_SHIFT)+1,
					  0);
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
