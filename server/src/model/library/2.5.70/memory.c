/*
 * mm/memory.c as of mid-2003 (2.5.70), simplified for the model.
 *
 * What is left out everywhere in this file: pgd/pud levels (pmd_offset() takes the mm), the
 * mmu_gather batching, anonymous memory and COW (every mapping is shared and writable), rss
 * accounting, rmap pte chains (page_add_rmap and
 * pte_chain_alloc are bookkeeping no-ops in the model).
 */

/*
 * zap_pte_range: clear the ptes of [address, address + size) in one pmd.  The pte's dirty bit
 * is handed to the page (set_page_dirty), which is how a store through a mapping reaches the
 * page cache, and which on ext3 dirties the page's buffers too.  Simplified: file pages only,
 * no details filter, no tlb batching.
 */
static void zap_pte_range(struct mm_struct *mm, pmd_t *pmd,
		unsigned long address, unsigned long size)
{
	unsigned long end = address + size;
	pte_t *ptep;
	pte_t pte;
	struct page *page;

	for (; address < end; address += PAGE_SIZE) {
		ptep = pte_offset_map(pmd, address);
		pte = *ptep;
		if (pte_none(pte)) {
			pte_unmap(ptep);
			continue;
		}
		if (pte_present(pte)) {
			page = pte_page(pte);
			pte = ptep_get_and_clear(ptep);
			if (pte_dirty(pte))
				set_page_dirty(page);
			page_remove_rmap(page, ptep);
			page_cache_release(page);
		}
		pte_unmap(ptep);
	}
}

/*
 * zap_page_range: unmap a range of user addresses of one vma, under page_table_lock.
 * Simplified: one pmd covers the whole vma.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long address,
		unsigned long size)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *pmd;

	spin_lock(&mm->page_table_lock);
	pmd = pmd_offset(mm, address);
	zap_pte_range(mm, pmd, address, size);
	spin_unlock(&mm->page_table_lock);
}

/*
 * invalidate_mmap_range_list: zap the file pages [hba, hba + hlen) (hlen 0: to the end) in
 * every vma on the list.  Simplified: the list is walked with vma_first/vma_next.
 */
static void
invalidate_mmap_range_list(void *head, unsigned long const hba,
		unsigned long const hlen)
{
	struct vm_area_struct *vp;
	unsigned long hea;	/* last page of hole. */
	unsigned long vba;
	unsigned long vea;	/* last page of corresponding uva hole. */
	unsigned long zba;
	unsigned long zea;

	hea = hba + hlen - 1;	/* avoid overflow. */
	if (hea < hba)
		hea = ULONG_MAX;
	for (vp = vma_first(head); vp; vp = vma_next(head, vp)) {
		vba = vp->vm_pgoff;
		vea = vba + ((vp->vm_end - vp->vm_start) >> PAGE_SHIFT) - 1;
		if (hea < vba || vea < hba)
			continue;	/* Mapping disjoint from hole. */
		zba = (hba <= vba) ? vba : hba;
		zea = (vea <= hea) ? vea : hea;
		zap_page_range(vp,
			((zba - vba) << PAGE_SHIFT) + vp->vm_start,
			(zea - zba + 1) << PAGE_SHIFT);
	}
}

/*
 * invalidate_mmap_range: unmap the part of the file [holebegin, holebegin + holelen) from
 * every process; holelen 0 means to the end of the file.  This is the mid-2003 form: nothing
 * tells a fault sleeping in ->nopage that the range was shot down meanwhile.  Simplified: the
 * overflow check is written without sizeof (on LP64 it never fires).
 */
void invalidate_mmap_range(struct address_space *mapping,
		      loff_t const holebegin, loff_t const holelen)
{
	unsigned long hba = holebegin >> PAGE_SHIFT;
	unsigned long hlen = (holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

	/* Check for overflow. */
	if (holelen < 0) {
		long long holeend =
			(holebegin + holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

		if (holeend & ~(long long)ULONG_MAX)
			hlen = ULONG_MAX - hba + 1;
	}
	down(&mapping->i_shared_sem);
	if (unlikely(!list_empty(&mapping->i_mmap)))
		invalidate_mmap_range_list(&mapping->i_mmap, hba, hlen);
	if (unlikely(!list_empty(&mapping->i_mmap_shared)))
		invalidate_mmap_range_list(&mapping->i_mmap_shared, hba, hlen);
	up(&mapping->i_shared_sem);
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
		inode->i_size = offset;
		return 0;
	}
	inode->i_size = offset;
	invalidate_mmap_range(mapping, offset + PAGE_SIZE - 1, 0);
	truncate_inode_pages(mapping, offset);
	return 0;
}

/*
 * do_no_page: the fault on a pte that maps nothing.  Entered with page_table_lock held, which
 * it drops around ->nopage (which may sleep in I/O) and retakes to install the pte.  This is the
 * mid-2003 form: whatever happened to the file while ->nopage slept, the page it returned is
 * mapped.  Simplified: no anonymous page, no COW break (every mapping is shared).
 */
static int
do_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
	unsigned long address, int write_access, pte_t *page_table, pmd_t *pmd)
{
	struct page * new_page;
	pte_t entry;
	struct pte_chain *pte_chain;
	int ret;

	if (!vma->vm_ops || !vma->vm_ops->nopage) {
		pte_unmap(page_table);
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_SIGBUS;
	}
	pte_unmap(page_table);
	spin_unlock(&mm->page_table_lock);

	new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK, 0);

	/* no page was available -- either SIGBUS or OOM */
	if (new_page == NOPAGE_SIGBUS)
		return VM_FAULT_SIGBUS;
	if (new_page == NOPAGE_OOM)
		return VM_FAULT_OOM;

	pte_chain = pte_chain_alloc(GFP_KERNEL);
	if (!pte_chain) {
		page_cache_release(new_page);
		ret = VM_FAULT_OOM;
		goto out;
	}

	spin_lock(&mm->page_table_lock);
	page_table = pte_offset_map(pmd, address);

	/* Only install the page if the pte is still empty. */
	if (pte_none(*page_table)) {
		entry = mk_pte(new_page, vma->vm_page_prot);
		if (write_access)
			entry = pte_mkwrite(pte_mkdirty(entry));
		set_pte(page_table, entry);
		pte_chain = page_add_rmap(new_page, page_table, pte_chain);
		pte_unmap(page_table);
	} else {
		/* One of our sibling threads was faster, back out. */
		pte_unmap(page_table);
		page_cache_release(new_page);
		spin_unlock(&mm->page_table_lock);
		ret = VM_FAULT_MINOR;
		goto out;
	}

	update_mmu_cache(vma, address, entry);
	spin_unlock(&mm->page_table_lock);
	ret = VM_FAULT_MAJOR;
out:
	pte_chain_free(pte_chain);
	return ret;
}

/*
 * handle_mm_fault: find the pte for address and fault it in if it maps nothing.  Simplified:
 * a present pte needs nothing (every shared pte is writable, the store sets the dirty bit).
 */
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
	unsigned long address, int write_access)
{
	pmd_t *pmd;
	pte_t *pte;

	spin_lock(&mm->page_table_lock);
	pmd = pmd_offset(mm, address);
	pte = pte_offset_map(pmd, address);
	if (!pte_present(*pte))
		return do_no_page(mm, vma, address, write_access, pte, pmd);
	pte_unmap(pte);
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_MINOR;
}
