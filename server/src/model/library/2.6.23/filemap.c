/*
 * mm/filemap.c as of October 2007 (2.6.23), simplified for the model: only the functions that
 * changed since the earlier layers.  filemap_fault() replaced filemap_nopage() as the ->fault of
 * file mappings (July 2007, "mm: merge populate and nopage into fault").
 *
 * Left out everywhere: readahead and its hit/miss statistics (the model reads one page at a
 * time), the LRU, page allocation failure, the copy to user space.
 */

/*
 * filemap_fault: ->fault of file mappings.  Finds the page and returns it locked with a
 * reference (VM_FAULT_LOCKED), reading it in first when it is not cached; i_size is checked again
 * under the page lock.  A page found not uptodate is there because its read failed: the read is
 * started again and the lookup retried, for as long as the read keeps failing (the endless retry
 * that January 2008 ended).  Simplified: no readahead, no ptracer case past i_size, no major-fault
 * accounting beyond the result bit.
 */
int filemap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	int error;
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	struct page *page;
	unsigned long size;
	int ret = 0;

	size = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (vmf->pgoff >= size)
		goto outside_data_content;

retry_find:
	page = find_lock_page(mapping, vmf->pgoff);
	if (!page)
		goto no_cached_page;

	/*
	 * A locked page of the page cache that is not uptodate: that can
	 * only be a read error.
	 */
	if (unlikely(!PageUptodate(page)))
		goto page_not_uptodate;

	/* Must recheck i_size under page lock */
	size = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (unlikely(vmf->pgoff >= size)) {
		unlock_page(page);
		page_cache_release(page);
		goto outside_data_content;
	}

	mark_page_accessed(page);
	vmf->page = page;
	return ret | VM_FAULT_LOCKED;

outside_data_content:
	return VM_FAULT_SIGBUS;

no_cached_page:
	ret = VM_FAULT_MAJOR;
	error = page_cache_read(file, vmf->pgoff);

	/* Added (or someone else did): look it up again. */
	if (error >= 0)
		goto retry_find;
	if (error == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;

page_not_uptodate:
	/* IO error path */
	ret = VM_FAULT_MAJOR;

	/*
	 * Try the read again.  The page lock passes to the read, and the
	 * lookup above waits for it.
	 */
	ClearPageError(page);
	error = mapping->a_ops->readpage(file, page);
	page_cache_release(page);

	if (!error || error == AOP_TRUNCATED_PAGE)
		goto retry_find;

	return VM_FAULT_SIGBUS;
}
