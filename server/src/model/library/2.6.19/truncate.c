/*
 * mm/truncate.c as of late 2006 (2.6.19, and 2.6.18.1 before it), simplified for the model:
 * only the functions that changed since the 2.6.18 layer (the loader takes every other function from the earlier
 * layers).
 *
 * Left out everywhere: partial pages (truncation offsets are page multiples in the scenarios),
 * the "lstart in the middle of a page" zeroing, and invalidate_inode_pages (the
 * non-blocking variant that no scenario runs).
 */

/*
 * invalidate_complete_page2: drop a locked page for invalidate_inode_pages2_range.  Unlike
 * invalidate_complete_page (2.6.18) it ignores extra references (a pinned page is dropped from
 * the cache all the same) and fails only when the page left the mapping, its buffers cannot be
 * released, or it is dirty.  The page leaves the cache under tree_lock, as in the kernel.
 */
static int
invalidate_complete_page2(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;

	if (PagePrivate(page) && !try_to_release_page(page, GFP_KERNEL))
		return 0;

	write_lock_irq(&mapping->tree_lock);
	if (PageDirty(page))
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
