/*
 * mm/memory.c as of October 2007 (2.6.23), simplified for the model: only the functions that
 * changed since the earlier layers.  2.6.23 replaced ->nopage and do_no_page() with ->fault and
 * __do_fault(): the filesystem returns the page locked (VM_FAULT_LOCKED) and the pte is installed
 * before the page lock is dropped, so truncate and invalidation, which unmap under the page
 * lock, can no longer drop the page between the lookup and the pte.  The truncate_count retry
 * of the fault path is gone (unmap_mapping_range still bumps the counter, for its own restarts).
 *
 * Left out everywhere: pgd/pud levels, split pte locks (with them off, the pte lock is
 * mm->page_table_lock, which the model uses), anonymous memory and COW (every mapping is shared
 * and writable), ->page_mkwrite (no filesystem of the model has one in 2.6.23), nonlinear
 * mappings, rss counters.
 */

/*
 * __do_fault: map the file page at pgoff.  ->fault returns it with a reference and, for
 * filesystems that set VM_FAULT_LOCKED, locked; otherwise it is locked here.  The pte is
 * installed under the pte lock while the page lock is still held, and only then is the page
 * unlocked.  Simplified: no COW copy for private writes, no ->page_mkwrite, no legacy ->nopage
 * path (no filesystem of the model keeps one), and set_page_dirty_balance is set_page_dirty
 * (no dirty throttling).
 */
static int __do_fault(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long address, pmd_t *pmd,
		pgoff_t pgoff, unsigned int flags, pte_t orig_pte)
{
	pte_t *page_table;
	struct page *page;
	pte_t entry;
	int anon = 0;
	struct page *dirty_page = NULL;
	struct vm_fault vmf;
	int ret;

	vmf.pgoff = pgoff;
	vmf.flags = flags;
	vmf.page = NULL;

	ret = vma->vm_ops->fault(vma, &vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;

	/* For consistency in what follows, the faulted page is always locked. */
	if (unlikely(!(ret & VM_FAULT_LOCKED)))
		lock_page(vmf.page);

	page = vmf.page;

	spin_lock(&mm->page_table_lock);
	page_table = pte_offset_map(pmd, address);

	/* Only go through if we didn't race with anybody else... */
	if (likely(pte_none(*page_table))) {
		entry = mk_pte(page, vma->vm_page_prot);
		if (flags & FAULT_FLAG_WRITE)
			entry = pte_mkwrite(pte_mkdirty(entry));
		set_pte(page_table, entry);
		page_add_file_rmap(page);
		if (flags & FAULT_FLAG_WRITE) {
			dirty_page = page;
			get_page(dirty_page);
		}
		update_mmu_cache(vma, address, entry);
	} else {
		anon = 1; /* no anon, but release the faulted page */
	}

	pte_unmap(page_table);
	spin_unlock(&mm->page_table_lock);

	unlock_page(vmf.page);
	if (anon)
		page_cache_release(vmf.page);
	else if (dirty_page) {
		set_page_dirty(dirty_page);
		put_page(dirty_page);
	}
	return ret;
}

/* do_linear_fault: the file page a linear mapping shows at `address`. */
static int do_linear_fault(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long address, pte_t *page_table, pmd_t *pmd,
		int write_access, pte_t orig_pte)
{
	pgoff_t pgoff = (((address & PAGE_MASK)
			- vma->vm_start) >> PAGE_CACHE_SHIFT) + vma->vm_pgoff;
	unsigned int flags = (write_access ? FAULT_FLAG_WRITE : 0);

	pte_unmap(page_table);
	return __do_fault(mm, vma, address, pmd, pgoff, flags, orig_pte);
}
