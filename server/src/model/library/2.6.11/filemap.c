/*
 * mm/filemap.c as of March 2005 (2.6.11), simplified for the model: only the functions that
 * changed since the 2.6.10 layer (the loader takes every other function from the earlier layers).
 *
 * Left out everywhere: readahead, the LRU, page allocation failure, partial pages (every I/O
 * here is one whole page), the copy to user space.
 */

/*
 * Called under i_sem for writes to S_ISREG files (seed 000's change, merged for 2.6.11).  A
 * write first shoots down every pte of the file, so that pte dirty bits reach the pages that
 * filemap_write_and_wait() writes back next; then the direct I/O; then the whole file's cached
 * pages are invalidated, and a failed invalidation replaces whatever ->direct_IO returned,
 * -EIOCBQUEUED included (2.6.12 narrowed both to the written range).
 */
ssize_t
generic_file_direct_IO(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	ssize_t retval;

	/* Pte dirty bits into the pages before the write-back below. */
	if (rw == WRITE && mapping_mapped(mapping))
		unmap_mapping_range(mapping, 0, -1, 0);

	retval = filemap_write_and_wait(mapping);
	if (retval == 0) {
		retval = mapping->a_ops->direct_IO(rw, iocb, iov,
						offset, nr_segs);
		if (rw == WRITE && mapping->nrpages) {
			int err = invalidate_inode_pages2(mapping);
			if (err)
				retval = err;
		}
	}
	return retval;
}
