/*
 * mm/memory.c as of March 2005 (2.6.11), simplified for the model: only the functions that
 * changed since the 2.6.10 layer (the loader takes every other function from the earlier layers).
 * do_no_page() reads the plain count of 2.6.11-rc1, and orders its first sample with smp_rmb()
 * (the resample on retry has no barrier: that came in 2.6.15).
 *
 * Left out everywhere: as in the 2.6.10 layer (pgd/pud levels, mmu_gather, anonymous memory,
 * rss, the lock-break restart logic of unmap_mapping_range).
 */

/*
 * unmap_mapping_range: as in 2.6.10, with the two barriers that "fixup smp race introduced in
 * 2.6.11-rc1" (January 2005) put around the truncate_count increment: the new i_size is made
 * visible before the new count, and the new count before any pte is read, so a fault that
 * samples the count and then reads i_size cannot miss the truncate on a weakly ordered machine.
 * Simplified: the LP64 overflow check is dead and left out; even_cows is ignored (no private
 * mappings); truncate_count never wraps in a scenario, so the restart-address leap is left out.
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
	/* The new i_size before the new count. */
	smp_wmb();
	mapping->truncate_count++;
	/* The new count before any pte is read. */
	smp_mb();

	if (unlikely(!prio_tree_empty(&mapping->i_mmap)))
		unmap_mapping_range_list(&mapping->i_mmap, first_index, last_index);
	spin_unlock(&mapping->i_mmap_lock);
}

/*
 * do_no_page: as in 2.6.10, with 2.6.11-rc1's plain truncate_count ("vmtrunc: truncate_count not
 * atomic": an unsigned int, read without atomic_read(), the sample unsigned too) and the smp_rmb()
 * that "fixup smp race introduced in 2.6.11-rc1" brought back, now inside the vm_file test and
 * commented as ordering the i_size read after the sample.  The resample on retry has no barrier
 * (2.6.15 added one).  Simplified as in 2.6.10.
 */
static int
do_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
	unsigned long address, int write_access, pte_t *page_table, pmd_t *pmd)
{
	struct page * new_page;
	struct address_space *mapping = NULL;
	pte_t entry;
	unsigned int sequence = 0;
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
		sequence = mapping->truncate_count;
		smp_rmb(); /* i_size is read after truncate_count */
	}
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
	if (mapping && unlikely(sequence != mapping->truncate_count)) {
		sequence = mapping->truncate_count;
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
