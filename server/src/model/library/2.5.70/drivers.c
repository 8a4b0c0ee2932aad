/*
 * Scenario drivers for the 2.5.70 library: what a process or a kernel thread does to reach the
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

/* sys_truncate: truncate(2) to `size` bytes: vmtruncate under i_sem. */
int sys_truncate(struct inode *inode, loff_t size)
{
	int error;

	down(&inode->i_sem);
	error = vmtruncate(inode, size);
	up(&inode->i_sem);
	return error;
}

/*
 * kpr_epilogue: run after every thread has finished, to judge the final content: the process
 * exits (its ptes are zapped), everything dirty is written back (the two halves, as sync(2) ran
 * them: filemap_write_and_wait is younger than 2.5.70), and the cache is dropped.
 */
void kpr_epilogue(struct address_space *mapping, struct vm_area_struct *vma)
{
	zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	filemap_fdatawrite(mapping);
	filemap_fdatawait(mapping);
	truncate_inode_pages(mapping, 0);
}
