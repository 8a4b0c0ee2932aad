/*
 * Scenario drivers that 2.6.10 adds or changes over the 2.5.70 layer: what a process or a
 * kernel thread does to reach the mm/ code (the system call or fault entry, reduced to the part
 * that matters).  Not kernel code; every driver states what it stands for.
 */

/* sys_read: read(2) of the page at `index` through the page cache. */
void sys_read(struct file *file, unsigned long index)
{
	do_generic_mapping_read(file->f_mapping, file, index);
}

/*
 * aio_run_iocb: the AIO submit path (io_submit -> aio_run_iocb -> ki_retry -> ->aio_write) for
 * an O_DIRECT write.  Unless the I/O was queued (-EIOCBQUEUED, after which the bio completion
 * owns the iocb), the submitter completes the iocb itself with whatever came back.
 * Simplified: no -EIOCBRETRY retries (O_DIRECT writes never ask for one), no kioctx.
 */
ssize_t aio_run_iocb(struct kiocb *iocb, const struct iovec *iov)
{
	ssize_t ret;

	ret = generic_file_aio_write(iocb, iov, 1, iocb->ki_pos);
	if (ret != -EIOCBQUEUED)
		aio_complete(iocb, ret, 0);
	return ret;
}

/*
 * sys_dio_write: an O_DIRECT write of the page at `index`: write(2) for a sync kiocb
 * (do_sync_write, waiting if the I/O was queued), io_submit(2) for an async one.  Simplified:
 * one page, one iovec.
 */
ssize_t sys_dio_write(struct file *file, struct kiocb *iocb, unsigned long index)
{
	struct iovec iov;
	loff_t pos = index << PAGE_CACHE_SHIFT;
	ssize_t ret;

	iov.iov_base = 0;
	iov.iov_len = PAGE_CACHE_SIZE;
	iocb->ki_filp = file;
	iocb->ki_pos = pos;
	iocb->ki_nbytes = PAGE_CACHE_SIZE;

	if (!is_sync_kiocb(iocb))
		return aio_run_iocb(iocb, &iov);
	ret = generic_file_aio_write(iocb, &iov, 1, pos);
	if (ret == -EIOCBQUEUED)
		ret = wait_on_sync_kiocb(iocb);
	return ret;
}

/*
 * dio_bio_end_aio: the last bio of a queued direct I/O completed: the dio owns the iocb and
 * completes it.  Started by the model when ->direct_IO queues an async iocb.
 */
void dio_bio_end_aio(struct kiocb *iocb, ssize_t transferred)
{
	aio_complete(iocb, transferred, 0);
}

/*
 * writeback_one: pdflush writing back the page at `index` if it is dirty (write_one_page).
 */
void writeback_one(struct address_space *mapping, unsigned long index)
{
	struct writeback_control wbc;
	struct page *page;

	wbc.sync_mode = WB_SYNC_NONE;
	wbc.nr_to_write = 1;
	page = find_get_page(mapping, index);
	if (!page)
		return;
	lock_page(page);
	if (page->mapping != mapping) {
		unlock_page(page);
		page_cache_release(page);
		return;
	}
	wait_on_page_writeback(page);
	if (clear_page_dirty_for_io(page))
		mapping->a_ops->writepage(page, &wbc);
	else
		unlock_page(page);
	page_cache_release(page);
}

/*
 * nfs_revalidate: NFS noticed the file changed on the server (new mtime) and drops its cached
 * pages so that the next read or fault goes to the server (nfs_revalidate_mapping).
 */
void nfs_revalidate(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;

	if (mapping->nrpages)
		invalidate_inode_pages2(mapping);
}
