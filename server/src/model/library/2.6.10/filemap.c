/*
 * mm/filemap.c as of late 2004 (2.6.10), simplified for the model: only the functions
 * that changed since the 2.5.70 layer (the loader takes every other function from the earlier
 * layers).
 *
 * Left out everywhere: readahead, the LRU, page allocation failure, partial pages (every I/O
 * here is one whole page), the copy to user space (copy_page_to_user only records what the
 * reader saw), and read errors (->readpage always succeeds in the model).
 */

/*
 * filemap_write_and_wait: write back the dirty pages and wait for them.  Not in 2.6.0 (its
 * callers ran the two halves); 2.6.10's generic_file_direct_IO calls it.
 */
int filemap_write_and_wait(struct address_space *mapping)
{
	int retval = 0;

	if (mapping->nrpages) {
		retval = filemap_fdatawrite(mapping);
		if (retval == 0)
			retval = filemap_fdatawait(mapping);
	}
	return retval;
}

/*
 * page_cache_read: bring page `offset` into the page cache and start reading it.  The page is
 * added locked; ->readpage unlocks it when the read completes.  Simplified: no allocation
 * failure.
 */
static int page_cache_read(struct file * file, unsigned long offset)
{
	struct address_space *mapping = file->f_mapping;
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
				unsigned long address, int *type)
{
	int error;
	struct file *file = area->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	struct page *page;
	unsigned long size, pgoff;
	int majmin = VM_FAULT_MINOR;

	pgoff = ((address-area->vm_start) >> PAGE_CACHE_SHIFT) + area->vm_pgoff;

retry_all:
	size = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (pgoff >= size)
		goto outside_data_content;

retry_find:
	page = find_get_page(mapping, pgoff);
	if (!page) {
		majmin = VM_FAULT_MAJOR;
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
	if (type)
		*type = majmin;
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

/*
 * do_generic_mapping_read: buffered read of the page at `index`.  Simplified to one page: find
 * it or read it in, wait for it to be uptodate, copy it out.  Past i_size reads nothing.
 */
void do_generic_mapping_read(struct address_space *mapping, struct file *filp,
		unsigned long index)
{
	struct inode *inode = mapping->host;
	struct page *page;
	unsigned long end_index;
	int error;

find_page:
	end_index = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (index >= end_index)
		return;
	page = find_get_page(mapping, index);
	if (page == NULL)
		goto no_cached_page;
	if (!PageUptodate(page))
		goto page_not_up_to_date;
page_ok:
	mark_page_accessed(page);
	copy_page_to_user(page);
	page_cache_release(page);
	return;

page_not_up_to_date:
	lock_page(page);
	/* Did it get unhashed before we got the lock? */
	if (!page->mapping) {
		unlock_page(page);
		page_cache_release(page);
		goto find_page;
	}
	/* Did somebody else fill it already? */
	if (PageUptodate(page)) {
		unlock_page(page);
		goto page_ok;
	}

readpage:
	error = mapping->a_ops->readpage(filp, page);
	if (error) {
		page_cache_release(page);
		return;
	}
	if (!PageUptodate(page)) {
		wait_on_page_locked(page);
		if (!PageUptodate(page)) {
			page_cache_release(page);
			return;
		}
	}
	goto page_ok;

no_cached_page:
	page = page_cache_alloc_cold(mapping);
	error = add_to_page_cache_lru(page, mapping, index, GFP_KERNEL);
	if (error) {
		page_cache_release(page);
		if (error == -EEXIST)
			goto find_page;
		return;
	}
	goto readpage;
}

/*
 * Called under i_sem for writes to S_ISREG files.  Write back dirty pagecache, do the direct
 * I/O, then throw away the cached pages of the file so later reads see the disk.  This is the
 * pre-December-2004 form: invalidation's result is not looked at.
 */
ssize_t
generic_file_direct_IO(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	ssize_t retval;

	retval = filemap_write_and_wait(mapping);
	if (retval == 0) {
		retval = mapping->a_ops->direct_IO(rw, iocb, iov,
						offset, nr_segs);
		if (rw == WRITE && mapping->nrpages)
			invalidate_inode_pages2(mapping);
	}
	return retval;
}

/*
 * generic_file_aio_write: ->aio_write of a regular file opened O_DIRECT: the O_DIRECT branch of
 * __generic_file_aio_write_nolock, under i_sem.  Simplified: no i_size extension, no
 * generic_write_checks, no fallback to buffered I/O for a short write.
 */
ssize_t generic_file_aio_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	ssize_t written;

	down(&inode->i_sem);
	written = generic_file_direct_IO(WRITE, iocb, iov, pos, nr_segs);
	up(&inode->i_sem);
	return written;
}
