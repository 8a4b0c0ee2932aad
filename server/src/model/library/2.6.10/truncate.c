/*
 * mm/truncate.c as of late 2004 (2.6.10), simplified for the model: only the functions
 * that changed since the 2.5.70 layer (the loader takes every other function from the earlier
 * layers).
 *
 * Left out everywhere: partial pages (truncation offsets are page multiples in the scenarios),
 * the "lstart in the middle of a page" zeroing, and invalidate_inode_pages (the
 * non-blocking variant that no scenario runs).
 */

/*
 * invalidate_complete_page: try to drop a locked page.  It fails (returns 0) when the page has
 * already left the mapping, when its buffers cannot be released, or when it is dirty.  The
 * dirtiness is re-checked under tree_lock to exclude a racing set_page_dirty.  There is no
 * reference count check in this era (it came in September 2006, 2.6.18): a page that a fault
 * has mapped meanwhile is removed and marked not uptodate all the same.
 */
static int
invalidate_complete_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;

	if (PagePrivate(page) && !try_to_release_page(page, 0))
		return 0;

	spin_lock_irq(&mapping->tree_lock);
	if (PageDirty(page)) {
		spin_unlock_irq(&mapping->tree_lock);
		return 0;
	}
	__remove_from_page_cache(page);
	spin_unlock_irq(&mapping->tree_lock);
	ClearPageUptodate(page);
	page_cache_release(page);	/* pagecache ref */
	return 1;
}

/*
 * invalidate_inode_pages2: the pre-December-2004 form.  Pages that are mapped into page tables
 * cannot be dropped, so they are marked clean and not uptodate and left in place, in the hope
 * that the next fault reads them again.  Returns nothing: failures are invisible to callers.
 */
void invalidate_inode_pages2(struct address_space *mapping)
{
	struct pagevec pvec;
	pgoff_t next = 0;
	int i;

	pagevec_init(&pvec, 0);
	while (pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];

			lock_page(page);
			if (page->mapping == mapping) {	/* truncate race? */
				wait_on_page_writeback(page);
				next = page->index + 1;
				if (page_mapped(page)) {
					clear_page_dirty(page);
					ClearPageUptodate(page);
				} else {
					if (!invalidate_complete_page(mapping,
								      page)) {
						clear_page_dirty(page);
						ClearPageUptodate(page);
					}
				}
			}
			unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}
}
