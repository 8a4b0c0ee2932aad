/*
 * mm/memory.c as of March 2005 (2.6.11), simplified for the model: only the functions that
 * changed since the 2.6.10 layer (the loader takes every other function from the earlier layers).
 * do_no_page() is the 2.6.10 layer's: in 2.6.11 it orders its first truncate_count sample with
 * smp_rmb() and resamples on retry without a barrier (the barrier on the resample came in 2.6.15).
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
