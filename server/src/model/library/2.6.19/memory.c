/*
 * mm/memory.c as of late 2006 (2.6.19, the same in 2.6.20), simplified for the model: only the
 * functions that changed since the earlier layers.  ->nopage may answer NOPAGE_REFAULT: go back
 * to user space and fault again (added in 2.6.19 for drivers that install the pte themselves;
 * filemap_nopage never returns it); a written shared page is dirtied once the pte lock is
 * dropped (2.6.19's tracking of dirty shared pages).  The pte lock and the retry's barrier are
 * 2.6.15's (the layer before).
 *
 * Left out everywhere: pgd/pud levels, split pte locks (the pte lock is mm->page_table_lock, as
 * with split locks off), anonymous memory and COW of private writes, ->page_mkwrite (neither
 * ext3 nor NFS has one), rss counters, dirty throttling (set_page_dirty_balance is
 * set_page_dirty).
 */

/*
 * do_no_page: the fault on a pte that maps nothing, entered with the pte mapped but not locked.
 * truncate_count is sampled before ->nopage and re-checked under the pte lock: if an unmap ran
 * meanwhile the page may be stale, so the fault drops it and retries (resampling after the
 * lock is dropped, with a read barrier, as in 2.6.15).  A written shared page is dirtied once
 * the pte lock is dropped.
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
	struct page *dirty_page = NULL;

	pte_unmap(page_table);

	if (vma->vm_file) {
		mapping = vma->vm_file->f_mapping;
		sequence = mapping->truncate_count;
		smp_rmb(); /* i_size is read after truncate_count */
	}
retry:
	new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK, &ret);

	/* no page was available -- either SIGBUS, OOM or REFAULT */
	if (unlikely(new_page == NOPAGE_SIGBUS))
		return VM_FAULT_SIGBUS;
	else if (unlikely(new_page == NOPAGE_OOM))
		return VM_FAULT_OOM;
	else if (unlikely(new_page == NOPAGE_REFAULT))
		return VM_FAULT_MINOR;

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
		if (write_access) {
			dirty_page = new_page;
			get_page(dirty_page);
		}
	} else {
		/* Someone else was faster: back out. */
		page_cache_release(new_page);
		goto unlock;
	}

	update_mmu_cache(vma, address, entry);
	lazy_mmu_prot_update(entry);
unlock:
	pte_unmap_unlock(page_table, ptl);
	if (dirty_page) {
		set_page_dirty(dirty_page);
		put_page(dirty_page);
	}
	return ret;
}
