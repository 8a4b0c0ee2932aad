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
