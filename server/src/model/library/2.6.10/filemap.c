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
