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
