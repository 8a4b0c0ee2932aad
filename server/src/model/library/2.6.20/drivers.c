/*
 * Scenario drivers for the 2.6.20 library: what a process or a kernel thread does to reach the
 * mm/ code (the system call or fault entry, reduced to the part that matters).  Not kernel
 * code; every driver states what it stands for.
 */

/* user_address: where file page `index` lies in the vma (the vma maps the file from vm_pgoff). */
static unsigned long user_address(struct vm_area_struct *vma, unsigned long index)
{
	return vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
}

/* user_fault: a process reads the mapped page at `index` (a read fault if no pte maps it). */
int user_fault(struct vm_area_struct *vma, unsigned long index)
{
	return handle_mm_fault(vma->vm_mm, vma, user_address(vma, index), 0);
}

/*
 * user_store: a process stores into the mapped page at `index`: the CPU faults the page in for
 * write if no pte maps it, then writes through the pte, which sets its dirty bit.  SIGBUS past
 * i_size ends the store.
 */
void user_store(struct vm_area_struct *vma, unsigned long index)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address = user_address(vma, index);
	pmd_t *pmd;
	pte_t *ptep;

	for (;;) {
		spin_lock(&mm->page_table_lock);
		pmd = pmd_offset(mm, address);
		ptep = pte_offset_map(pmd, address);
		if (pte_present(*ptep)) {
			user_store_pte(ptep);
			pte_unmap(ptep);
			spin_unlock(&mm->page_table_lock);
			return;
		}
		pte_unmap(ptep);
		spin_unlock(&mm->page_table_lock);
		if (handle_mm_fault(mm, vma, address, 1) == VM_FAULT_SIGBUS)
			return;
	}
}

/*
 * get_user_pages_pin: get_user_pages() on one page for a driver that keeps it (an O_DIRECT
 * source buffer, an RDMA registration): fault it in, then take a reference that is never
 * dropped.  This is the case where a user really pins a page.
 */
void get_user_pages_pin(struct vm_area_struct *vma, unsigned long index)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address = user_address(vma, index);
	pmd_t *pmd;
	pte_t *ptep;
	struct page *page;

	for (;;) {
		spin_lock(&mm->page_table_lock);
		pmd = pmd_offset(mm, address);
		ptep = pte_offset_map(pmd, address);
		if (pte_present(*ptep)) {
			page = pte_page(*ptep);
			page_cache_get(page);
			pte_unmap(ptep);
			spin_unlock(&mm->page_table_lock);
			return;
		}
		pte_unmap(ptep);
		spin_unlock(&mm->page_table_lock);
		if (handle_mm_fault(mm, vma, address, 0) == VM_FAULT_SIGBUS)
			return;
	}
}

/* sys_munmap: the process unmaps the whole vma (ptes zapped, dirty bits pushed to pages). */
void sys_munmap(struct vm_area_struct *vma)
{
	zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
}

/* sys_truncate: truncate(2) to `size` bytes: vmtruncate under i_mutex. */
int sys_truncate(struct inode *inode, loff_t size)
{
	int error;

	mutex_lock(&inode->i_mutex);
	error = vmtruncate(inode, size);
	mutex_unlock(&inode->i_mutex);
	return error;
}

/* sys_read: read(2) of the page at `index` through the page cache. */
void sys_read(struct file *file, unsigned long index)
{
	do_generic_mapping_read(file->f_mapping, file, index);
}

/*
 * aio_run_iocb: the AIO submit path (io_submit -> aio_run_iocb -> ->aio_write) for an O_DIRECT
 * write.  Unless the I/O was queued (-EIOCBQUEUED, after which the bio completion owns the
 * iocb), the submitter completes the iocb itself with the result.  Simplified: no retry.
 */
ssize_t aio_run_iocb(struct kiocb *iocb, const struct iovec *iov)
{
	ssize_t ret;

	ret = generic_file_direct_write(iocb, iov, 1, iocb->ki_pos);
	if (ret != -EIOCBQUEUED)
		aio_complete(iocb, ret, 0);
	return ret;
}

/*
 * sys_dio_write: an O_DIRECT write of the page at `index`: write(2) for a sync kiocb (waiting
 * if the I/O was queued), io_submit(2) for an async one.  Simplified: one page, one iovec.
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
	ret = generic_file_direct_write(iocb, &iov, 1, pos);
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

/*
 * kpr_epilogue: run after every thread has finished, to judge the final content: the process
 * exits (its ptes are zapped), everything dirty is written back, and the cache is dropped.
 */
void kpr_epilogue(struct address_space *mapping, struct vm_area_struct *vma)
{
	zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	filemap_write_and_wait(mapping);
	truncate_inode_pages(mapping, 0);
}
