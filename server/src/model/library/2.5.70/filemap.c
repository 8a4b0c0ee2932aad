/*
 * mm/filemap.c as of mid-2003 (2.5.70), simplified for the model.
 *
 * Left out everywhere: readahead, the LRU, page allocation failure, partial pages (every I/O
 * here is one whole page), the copy to user space (copy_page_to_user only records what the
 * reader saw), and read errors (->readpage always succeeds in the model).
 */

/*
 * filemap_fdatawrite: start writeback of every dirty page.  Simplified from mpage_writepages
 * with WB_SYNC_ALL: a lookup of all pages that passes over the clean ones stands in for the
 * dirty list (2.5) or tag (2.6), one page at a time.  A clean page is never locked here, so a
 * read in flight (its page locked by the I/O) does not hold the writer up.
 */
int filemap_fdatawrite(struct address_space *mapping)
{
	struct pagevec pvec;
	struct writeback_control wbc;
	pgoff_t next = 0;
	int i;

	wbc.sync_mode = WB_SYNC_ALL;
	wbc.nr_to_write = mapping->nrpages * 2;
	pagevec_init(&pvec, 0);
	while (pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];

			next = page->index + 1;
			if (!PageDirty(page))
				continue;
			lock_page(page);
			if (page->mapping != mapping || !PageDirty(page)) {
				unlock_page(page);
				continue;
			}
			wait_on_page_writeback(page);
			if (clear_page_dirty_for_io(page))
				mapping->a_ops->writepage(page, &wbc);
			else
				unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}
	return 0;
}

/*
 * filemap_fdatawait: wait for the writeback started on every page to finish.  Simplified:
 * I/O errors are not modelled, so it returns 0.
 */
int filemap_fdatawait(struct address_space *mapping)
{
	struct pagevec pvec;
	pgoff_t next = 0;
	int i;

	pagevec_init(&pvec, 0);
	while (pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];

			next = page->index + 1;
			wait_on_page_writeback(page);
		}
		pagevec_release(&pvec);
	}
	return 0;
}

/*
 * page_cache_read: bring page `offset` into the page cache and start reading it.  The page is
 * added locked; ->readpage unlocks it when the read completes.  Simplified: no allocation
 * failure.
 */
static int page_cache_read(struct file * file, unsigned long offset)
{
	struct address_space *mapping = file->f_dentry->d_inode->i_mapping;
	struct page *page;
	int error;

	page = page_cache_alloc_cold(mapping);
	error = add_to_page_cache_lru(page, mapping, offset, GFP_KERNEL);
	if (!error)
		error = mapping->a_ops->readpage(file, page);
	else if (error == -EEXIST)
		error = 0; /* someone else added it: fine */
	page_cache_release(page);
	return error;
}

/*
 * filemap_nopage: ->nopage of file mappings.  Returns the page with a reference, reading it in
 * (and sleeping on the read) when it is not uptodate; NULL (SIGBUS) past i_size.  A read that
 * leaves the page not uptodate (an I/O error, or an invalidation that cleared PG_uptodate before
 * we looked) is tried once more, synchronously, after clearing PG_error; a second failure is
 * SIGBUS.  Simplified: no readahead, no ptracer case past i_size.
 */
struct page * filemap_nopage(struct vm_area_struct * area,
				unsigned long address, int unused)
{
	int error;
	struct file *file = area->vm_file;
	struct address_space *mapping = file->f_dentry->d_inode->i_mapping;
	struct inode *inode = mapping->host;
	struct page *page;
	unsigned long size, pgoff;

	pgoff = ((address-area->vm_start) >> PAGE_CACHE_SHIFT) + area->vm_pgoff;

retry_all:
	size = (inode->i_size + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (pgoff >= size)
		goto outside_data_content;

retry_find:
	page = find_get_page(mapping, pgoff);
	if (!page) {
		error = page_cache_read(file, pgoff);
		if (error >= 0)
			goto retry_find;
		if (error == -ENOMEM)
			return NOPAGE_OOM;
		return NOPAGE_SIGBUS;
	}

	if (!PageUptodate(page))
		goto page_not_uptodate;

success:
	mark_page_accessed(page);
	return page;

outside_data_content:
	return NOPAGE_SIGBUS;

page_not_uptodate:
	lock_page(page);

	/* Did it get unhashed while we waited for it? */
	if (!page->mapping) {
		unlock_page(page);
		page_cache_release(page);
		goto retry_all;
	}

	/* Did somebody else get it up-to-date? */
	if (PageUptodate(page)) {
		unlock_page(page);
		goto success;
	}

	if (!mapping->a_ops->readpage(file, page)) {
		wait_on_page_locked(page);
		if (PageUptodate(page))
			goto success;
	}

	/* Not uptodate after the read: try it once more. */
	lock_page(page);

	/* Truncated or invalidated meanwhile? */
	if (!page->mapping) {
		unlock_page(page);
		page_cache_release(page);
		goto retry_all;
	}

	/* Did somebody else read it in? */
	if (PageUptodate(page)) {
		unlock_page(page);
		goto success;
	}
	ClearPageError(page);
	if (!mapping->a_ops->readpage(file, page)) {
		wait_on_page_locked(page);
		if (PageUptodate(page))
			goto success;
	}

	/* The second read failed too: give up on this page. */
	page_cache_release(page);
	return NOPAGE_SIGBUS;
}

