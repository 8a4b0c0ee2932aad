/*
 * mm/truncate.c as of September 2006 (2.6.18), simplified for the model: only the functions that
 * changed since the earlier layers (the loader takes every other function from the earlier layers).
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
