/*
 * mm/filemap.c as of September 2006 (2.6.18), simplified for the model: only the functions that
 * changed since the 2.6.10 layer (the loader takes every other function from the earlier layers).
 *
 * Left out everywhere: readahead, the LRU, page allocation failure, partial pages (every I/O
 * here is one whole page), the copy to user space (copy_page_to_user only records what the
 * reader saw), and read errors (->readpage always succeeds in the model).
 */

/*
 * generic_file_direct_write: the O_DIRECT branch of __generic_file_aio_write_nolock, called with
 * i_mutex held.  Simplified: no i_size extension, no fallback to buffered I/O.
 */
ssize_t generic_file_direct_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos)
{
	return generic_file_direct_IO(WRITE, iocb, iov, pos, nr_segs);
}
