/*
 * mm/memory.c as of January 2006 (2.6.15), simplified for the model: only the functions that
 * changed since the earlier layers.  2.6.15 split the page table lock: the fault path runs
 * without page_table_lock until it installs the pte (the pte lock, taken with
 * pte_offset_map_lock), and do_no_page's retry resamples truncate_count with a read barrier
 * ("mm: page fault handlers tidyup", October 2005).
 *
 * Left out everywhere: pgd/pud levels, split pte locks (the pte lock is mm->page_table_lock, as
 * with split locks off), anonymous memory and COW of private writes, rss counters.
 */

/*
 * do_no_page: the fault on a pte that maps nothing, entered with the pte mapped but not locked.
 * truncate_count is sampled before ->nopage and re-checked under the pte lock: if an unmap ran
 * meanwhile the page may be stale, so the fault drops it and retries, resampling after the lock
 * is dropped with a read barrier, as the first sample has one.
 */
static int do_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long address, pte_t *page_table, pmd_t *pmd,
		int write_access)
{
	spinlock_t *ptl;
	struct page *new_page;
	struct address_space *mapping = NULL;
	pte_t entry;
	unsigned int sequence = 0;
	int ret = VM_FAULT_MINOR;

	pte_unmap(page_table);

	if (vma->vm_file) {
		mapping = vma->vm_file->f_mapping;
		sequence = mapping->truncate_count;
		smp_rmb(); /* i_size is read after truncate_count */
	}
retry:
	new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK, &ret);

	/* no page was available -- either SIGBUS or OOM */
	if (new_page == NOPAGE_SIGBUS)
		return VM_FAULT_SIGBUS;
	if (new_page == NOPAGE_OOM)
		return VM_FAULT_OOM;

	page_table = pte_offset_map_lock(mm, pmd, address, &ptl);
	/*
	 * An unmap that ran while we slept in ->nopage may have taken this
	 * page out of the file: drop it and fault again.
	 */
	if (mapping && unlikely(sequence != mapping->truncate_count)) {
		pte_unmap_unlock(page_table, ptl);
		page_cache_release(new_page);
		cond_resched();
		sequence = mapping->truncate_count;
		smp_rmb();
		goto retry;
	}

	/* Install the page only if nobody else filled the pte meanwhile. */
	if (pte_none(*page_table)) {
		entry = mk_pte(new_page, vma->vm_page_prot);
		if (write_access)
			entry = pte_mkwrite(pte_mkdirty(entry));
		set_pte(page_table, entry);
		page_add_file_rmap(new_page);
	} else {
		/* Someone else was faster: back out. */
		page_cache_release(new_page);
		goto unlock;
	}

	update_mmu_cache(vma, address, entry);
	lazy_mmu_prot_update(entry);
unlock:
	pte_unmap_unlock(page_table, ptl);
	return ret;
}

/*
 * handle_mm_fault with handle_pte_fault folded in: the pte is read without the pte lock, and an
 * empty one is filled by do_no_page.  Simplified: a present pte needs nothing (every shared pte
 * is writable, the store sets the dirty bit).
 */
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long address, int write_access)
{
	pmd_t *pmd;
	pte_t *pte;

	pmd = pmd_offset(mm, address);
	pte = pte_offset_map(pmd, address);
	if (!pte_present(*pte))
		return do_no_page(mm, vma, address, pte, pmd, write_access);
	pte_unmap(pte);
	return VM_FAULT_MINOR;
}
