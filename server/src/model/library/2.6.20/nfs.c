/*
 * fs/nfs/file.c as of early 2007 (2.6.20), the one method the model needs: NFS's
 * ->launder_page.
 */

/*
 * nfs_launder_page: write a dirty page back to the server and wait for it, keeping the page
 * locked (nfs_wb_page with stable writes).  Simplified: the write cannot fail.
 */
static int nfs_launder_page(struct page *page)
{
	return nfs_wb_page(page->mapping->host, page);
}
