/*
 * mm/memory.c as of late 2004 (2.6.10), simplified for the model: only the functions
 * that changed since the 2.5.70 layer (the loader takes every other function from the earlier
 * layers).
 *
 * What is left out everywhere in this file: pgd/pud levels (pmd_offset() takes the mm), the
 * mmu_gather batching, anonymous memory and COW (every mapping is shared and writable), rss
 * accounting, and the lock-break restart logic of unmap_mapping_range (zapping never sleeps).
 */

/*
 * unmap_mapping_range_list: zap the file pages [first_index, last_index] in every vma on the
 * list.  Simplified: the prio tree is walked with vma_first/vma_next.
 */
static void unmap_mapping_range_list(void *head, pgoff_t first_index,
		pgoff_t last_index)
{
	struct vm_area_struct *vma;
	pgoff_t vba, vea, zba, zea;

	for (vma = vma_first(head); vma; vma = vma_next(head, vma)) {
		vba = vma->vm_pgoff;
		vea = vba + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
		if (vea < first_index || vba > last_index)
			continue;
		zba = first_index;
		if (zba < vba)
			zba = vba;
		zea = last_index;
		if (zea > vea)
			zea = vea;
		zap_page_range(vma,
			((zba - vba) << PAGE_SHIFT) + vma->vm_start,
			(zea - zba + 1) << PAGE_SHIFT);
	}
}

/*
 * unmap_mapping_range: unmap the part of the file [holebegin, holebegin + holelen) from every
 * process; holelen 0 means to the end of the file.  truncate_count is bumped under i_mmap_lock
 * so that a fault sleeping in ->nopage notices and retries.  In 2.6.10 it is still an atomic_t
 * (it became a plain count, and this increment a plain ++, in 2.6.11-rc1).  Simplified: the LP64
 * overflow check is dead and left out; even_cows is ignored (no private mappings).
 */
void unmap_mapping_range(struct address_space *mapping,
		loff_t const holebegin, loff_t const holelen, int even_cows)
{
	pgoff_t hba = holebegin >> PAGE_SHIFT;
	pgoff_t hlen = (holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pgoff_t first_index, last_index;

	first_index = hba;
	last_index = hba + hlen - 1;
	if (last_index < first_index)
		last_index = ULONG_MAX;

	spin_lock(&mapping->i_mmap_lock);
	/* Protect against page fault */
	atomic_inc(&mapping->truncate_count);

	if (unlikely(!prio_tree_empty(&mapping->i_mmap)))
		unmap_mapping_range_list(&mapping->i_mmap, first_index, last_index);
	spin_unlock(&mapping->i_mmap_lock);
}

/*
 * vmtruncate: shrink the file.  i_size goes first, then ptes beyond it are shot down, then
 * the page cache.  Simplified: no expanding truncate, no ->truncate of the filesystem, no
 * rlimit checks.
 */
int vmtruncate(struct inode *inode, loff_t offset)
{
	struct address_space *mapping = inode->i_mapping;

	if (inode->i_size < offset) {
		i_size_write(inode, offset);
		return 0;
	}
	i_size_write(inode, offset);
	unmap_mapping_range(mapping, offset + PAGE_SIZE - 1, 0, 1);
	truncate_inode_pages(mapping, offset);
	return 0;
}

/*
 * do_no_page: the fault on a pte that maps nothing.  Entered with page_table_lock held, which
 * it drops around ->nopage (which may sleep in I/O) and retakes to install the pte.  The
 * truncate_count sample taken before ->nopage is re-checked under page_table_lock: if an unmap
 * ran meanwhile the page may be stale, so the fault retries.  2.6.10 reads the atomic_t count
 * with atomic_read() and puts the smp_rmb() after the sample, outside the vm_file test (2.6.11-rc1
 * made the count plain and dropped the barrier; 2.6.11 brought it back inside the test).
 * Simplified: no anonymous or COW page, no rss accounting.  The cond_resched() before ->nopage is
 * 2.6.11's: whether 2.6.10 already had it is unread (2.6.9 does not), and the model runs it as a
 * plain preemption point.
 */
static int
do_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
	unsigned long address, int write_access, pte_t *page_table, pmd_t *pmd)
{
	struct page * new_page;
	struct address_space *mapping = NULL;
	pte_t entry;
	int sequence = 0;
	int ret = VM_FAULT_MINOR;

	if (!vma->vm_ops || !vma->vm_ops->nopage) {
		pte_unmap(page_table);
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_SIGBUS;
	}
	pte_unmap(page_table);
	spin_unlock(&mm->page_table_lock);

	if (vma->vm_file) {
		mapping = vma->vm_file->f_mapping;
		sequence = atomic_read(&mapping->truncate_count);
	}
	smp_rmb(); /* keeps the CPU from moving the sample below ->nopage() */
retry:
	cond_resched();
	new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK, NULL);

	/* no page was available -- either SIGBUS or OOM */
	if (new_page == NOPAGE_SIGBUS)
		return VM_FAULT_SIGBUS;
	if (new_page == NOPAGE_OOM)
		return VM_FAULT_OOM;

	spin_lock(&mm->page_table_lock);
	/*
	 * Someone may have unmapped this range while we slept in ->nopage:
	 * then the page we hold may already be gone from the file.  Retry.
	 */
	if (mapping &&
	      (unlikely(sequence != atomic_read(&mapping->truncate_count)))) {
		sequence = atomic_read(&mapping->truncate_count);
		spin_unlock(&mm->page_table_lock);
		page_cache_release(new_page);
		goto retry;
	}
	page_table = pte_offset_map(pmd, address);

	if (pte_none(*page_table)) {
		entry = mk_pte(new_page, vma->vm_page_prot);
		if (write_access)
			entry = pte_mkwrite(pte_mkdirty(entry));
		set_pte(page_table, entry);
		page_add_file_rmap(new_page);
		pte_unmap(page_table);
	} else {
		/* One of our sibling threads was faster, back out. */
		pte_unmap(page_table);
		page_cache_release(new_page);
		spin_unlock(&mm->page_table_lock);
		goto out;
	}

	update_mmu_cache(vma, address, entry);
	spin_unlock(&mm->page_table_lock);
	ret = VM_FAULT_MAJOR;
out:
	return ret;
}
