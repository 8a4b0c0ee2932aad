/**
 * What the static rules know about the kernel API of the 2003-2007 mm/ code: which calls take and
 * drop locks, which may sleep, which report failure, which change page state that PG_locked
 * protects. These are kernel API names, not names from any patch.
 */

/** Blocking page-lock primitives: argument 0 is the page. */
export const PAGE_LOCK = new Set(['lock_page', '__lock_page', 'lock_page_nosync']);
export const PAGE_UNLOCK = new Set(['unlock_page']);
/**
 * Non-blocking page-lock attempts and the result value that means "acquired":
 * TestSetPageLocked returns the old bit (0 = we got it); trylock_page returns 1 on success.
 */
export const PAGE_TRYLOCK: ReadonlyMap<string, 'zero' | 'nonzero'> = new Map([
  ['TestSetPageLocked', 'zero'],
  ['trylock_page', 'nonzero'],
]);
/** Calls that return a page already locked (or NULL). They block on the page lock too. */
export const RETURNS_LOCKED_PAGE = new Set(['find_lock_page', 'grab_cache_page', 'find_or_create_page', '__grab_cache_page']);

/**
 * Changes that must be made under the page lock, with the index of the page argument.
 * invalidate_complete_page and try_to_release_page BUG when the page is unlocked in these eras.
 */
export const NEEDS_PAGE_LOCK: ReadonlyMap<string, number> = new Map([
  ['SetPageUptodate', 0],
  ['ClearPageUptodate', 0],
  ['remove_from_page_cache', 0],
  ['__remove_from_page_cache', 0],
  ['truncate_complete_page', 1],
  ['invalidate_complete_page', 1],
  ['try_to_release_page', 0],
  ['do_invalidatepage', 0],
  ['block_invalidatepage', 0],
]);
/** Fields of struct page that PG_locked protects when assigned. */
export const PAGE_FIELDS_NEED_LOCK = new Set(['mapping']);

/** Spinning locks (and other atomic sections); argument 0 names the lock when there is one. */
export const SPIN_LOCK = new Set([
  'spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'spin_lock_bh',
  'read_lock', 'read_lock_irq', 'read_lock_irqsave', 'read_lock_bh',
  'write_lock', 'write_lock_irq', 'write_lock_irqsave', 'write_lock_bh',
  '_raw_spin_lock', 'bit_spin_lock',
]);
export const SPIN_UNLOCK = new Set([
  'spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'spin_unlock_bh',
  'read_unlock', 'read_unlock_irq', 'read_unlock_irqrestore', 'read_unlock_bh',
  'write_unlock', 'write_unlock_irq', 'write_unlock_irqrestore', 'write_unlock_bh',
  '_raw_spin_unlock', 'bit_spin_unlock',
]);
/** spin_trylock and friends return nonzero on success. */
export const SPIN_TRYLOCK = new Set(['spin_trylock', 'read_trylock', 'write_trylock', 'spin_trylock_irq', 'spin_trylock_bh']);
/** Atomic sections without a lock object: the key used for them, and the call that ends them. */
export const ATOMIC_ENTER: ReadonlyMap<string, string> = new Map([
  ['preempt_disable', 'preemption disabled'],
  ['local_irq_disable', 'interrupts disabled'],
  ['local_irq_save', 'interrupts disabled'],
  ['kmap_atomic', 'kmap_atomic'],
  ['pagefault_disable', 'page faults disabled'],
]);
export const ATOMIC_EXIT: ReadonlyMap<string, string> = new Map([
  ['preempt_enable', 'preemption disabled'],
  ['local_irq_enable', 'interrupts disabled'],
  ['local_irq_restore', 'interrupts disabled'],
  ['kunmap_atomic', 'kmap_atomic'],
  ['pagefault_enable', 'page faults disabled'],
]);

/**
 * Calls that may sleep. `->readpage`, `->nopage`, `->writepage` and `->direct_IO` appear under
 * their member names. unmap_mapping_range takes i_shared_sem / i_mmap_lock-era semaphores.
 */
export const MAY_SLEEP = new Set([
  'lock_page', '__lock_page', 'lock_page_nosync', 'wait_on_page_locked', 'wait_on_page_writeback',
  'wait_on_page_bit', 'find_lock_page', 'grab_cache_page', 'find_or_create_page', 'read_cache_page',
  'down', 'down_read', 'down_write', 'down_interruptible', 'mutex_lock', 'mutex_lock_interruptible',
  'cond_resched', 'schedule', 'schedule_timeout', 'io_schedule', 'msleep', 'ssleep', 'might_sleep',
  'wait_event', 'wait_for_completion', 'yield',
  'filemap_write_and_wait', 'filemap_write_and_wait_range', 'filemap_fdatawrite', 'filemap_fdatawait',
  'filemap_flush', 'do_writepages', 'sync_page_range', 'sync_page_range_nolock', 'write_one_page',
  'invalidate_inode_pages', 'invalidate_inode_pages2', 'invalidate_inode_pages2_range',
  'truncate_inode_pages', 'truncate_inode_pages_range', 'vmtruncate',
  'unmap_mapping_range', 'invalidate_mmap_range', 'zap_page_range',
  'copy_from_user', 'copy_to_user', '__copy_from_user', '__copy_to_user', 'get_user', 'put_user',
  'clear_user', 'strncpy_from_user', 'get_user_pages', 'fault_in_pages_readable', 'fault_in_pages_writeable',
  'readpage', 'readpages', 'nopage', 'writepage', 'direct_IO', 'prepare_write', 'commit_write',
  'page_cache_alloc', 'page_cache_alloc_cold', 'vmalloc', 'mempool_alloc',
  'sync_page', 'block_until_unlocked',
]);
/** Allocators that sleep only when their gfp mask allows it (argument index of the mask). */
export const GFP_ALLOC: ReadonlyMap<string, number> = new Map([
  ['kmalloc', 1], ['kzalloc', 1], ['kmem_cache_alloc', 1], ['alloc_pages', 0], ['alloc_page', 0],
  ['__get_free_pages', 0], ['__get_free_page', 0], ['get_zeroed_page', 0], ['radix_tree_preload', 0],
  ['add_to_page_cache', 3], ['add_to_page_cache_lru', 3], ['pte_chain_alloc', 0],
]);
/** gfp masks that may sleep; __GFP_WAIT is 0x10 in these eras. */
export const SLEEPING_GFP = /\b(GFP_KERNEL|GFP_NOFS|GFP_NOIO|GFP_USER|GFP_HIGHUSER|GFP_TEMPORARY|__GFP_WAIT)\b/;
export const GFP_WAIT_BIT = 0x10n;

/**
 * Calls whose result reports failure and must be looked at. test_clear_page_dirty is left out on
 * purpose: it returns the old dirty bit (state, not failure) and discarding it just means "clear".
 * invalidate_inode_pages (without the 2) is left out too: it returns a count of pages dropped and
 * is best-effort by contract.
 */
export const MUST_CHECK = new Set([
  'invalidate_complete_page', 'invalidate_inode_pages2', 'invalidate_inode_pages2_range',
  'filemap_write_and_wait', 'filemap_write_and_wait_range', 'filemap_fdatawrite', 'filemap_fdatawrite_range',
  'filemap_fdatawait', 'filemap_flush', 'do_writepages', 'sync_page_range', 'sync_page_range_nolock',
  'generic_osync_inode', 'write_one_page', 'try_to_release_page', 'invalidate_mapping_pages2',
]);

/**
 * The MUST_CHECK calls that return nonzero on success and 0 on failure (the others return 0 or a
 * negative errno): invalidate_complete_page and try_to_release_page in these eras.
 */
export const ZERO_ON_FAILURE = new Set(['invalidate_complete_page', 'try_to_release_page']);

/**
 * Calls that can return -EIOCBQUEUED: ->direct_IO itself and the helpers that return its value
 * (blockdev_direct_IO, generic_file_direct_IO, ...), recognised by the `direct_IO` in their name,
 * and the AIO write paths built on them.
 */
export function mayReturnQueued(callee: string): boolean {
  return /direct_io/i.test(callee) || /^(generic_file_aio_write(_nolock)?|__generic_file_aio_write_nolock|generic_file_direct_write)$/.test(callee);
}
