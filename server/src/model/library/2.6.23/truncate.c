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

/* truncate_inode_pages: everything from lstart to the end of the file. */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}
