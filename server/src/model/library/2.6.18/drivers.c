/*
 * Scenario drivers that 2.6.18 changes over the 2.6.10 layer: what a process or a kernel thread
 * does to reach the mm/ code.  Not kernel code; every driver states what it stands for.
 */

/* sys_truncate: truncate(2) to `size` bytes: vmtruncate under i_mutex. */
int sys_truncate(struct inode *inode, loff_t size)
{
	int error;

	mutex_lock(&inode->i_mutex);
	error = vmtruncate(inode, size);
	mutex_unlock(&inode->i_mutex);
	return error;
}
