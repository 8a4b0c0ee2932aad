/*
 * mm/filemap.c as of June 2005 (2.6.12), simplified for the model: only the functions that
 * changed since the 2.6.11 layer (the loader takes every other function from the earlier layers).
 *
 * Left out everywhere: readahead, the LRU, page allocation failure, partial pages (every I/O
 * here is one whole page), the copy to user space.
 */

/*
 * Called under i_sem (i_mutex from 2.6.16) for writes to S_ISREG files.  Shoot down the ptes of
 * the range first so that pte dirty bits reach the pages before they are written back; write
 * back; do the direct I/O; then invalidate the cached pages of the range so later reads see the
 * disk.  This is the form from 2.6.12 until February 2007 (2.6.11 unmapped and invalidated the
 * whole file): a failed invalidation replaces whatever ->direct_IO returned, -EIOCBQUEUED
 * included.
 */
ssize_t
generic_file_direct_IO(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	ssize_t retval;
	size_t write_len = 0;

	/*
	 * Writes: unmap the range from every process first, so that
	 * stores made through ptes are in the pages we write back next.
	 */
	if (rw == WRITE) {
		write_len = iov_length(iov, nr_segs);
	       	if (mapping_mapped(mapping))
			unmap_mapping_range(mapping, offset, write_len, 0);
	}

	retval = filemap_write_and_wait(mapping);
	if (retval == 0) {
		retval = mapping->a_ops->direct_IO(rw, iocb, iov,
						offset, nr_segs);
		if (rw == WRITE && mapping->nrpages) {
			pgoff_t end = (offset + write_len - 1)
						>> PAGE_CACHE_SHIFT;
			int err = invalidate_inode_pages2_range(mapping,
					offset >> PAGE_CACHE_SHIFT, end);
			if (err)
				retval = err;
		}
	}
	return retval;
}
