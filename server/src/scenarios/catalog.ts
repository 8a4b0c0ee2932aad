/**
 * The built-in scenarios (DESIGN section 6). Each is a small initial state (one or two pages:
 * the explorer is exhaustive) and the threads that race on it; the entry functions are drivers
 * or functions of the era libraries (server/src/model/library). What a scenario exposes comes
 * from running the code, never from the scenario: these values only set the stage. A scenario
 * runs in every era whose library has its entry functions (scenarioRunsOn).
 */
import type { RuleId } from '../findings';
import type { Bounds, ScenarioSpec } from './spec';

const PAGE = 4096;
const BOUNDS: Bounds = { preemptions: 1, states: 200000, depth: 400 };
/** Rules every scenario checks: they hold in any run of correct kernel code. */
const ALWAYS: RuleId[] = ['deadlock', 'sleep-in-atomic', 'flag-without-lock'];
/** The first page index whose byte offset needs more than 32 bits (4 GiB / 4 KiB). */
const HIGH_PAGE = 1 << 20;

const file = { ref: 'file' } as const;
const mapping = { ref: 'mapping' } as const;
const inode = { ref: 'inode' } as const;
const vma = { ref: 'vma' } as const;
const syncIocb = { iocb: { sync: true } };

export const BUILTIN_SCENARIOS: readonly ScenarioSpec[] = [
  {
    id: 'dio-write-vs-fault',
    title: 'O_DIRECT write of a mapped page vs a fault on it',
    doc: 'Page 0 of an ext3 file is cached, uptodate and mapped by a pte that a store has dirtied. ' +
      'One thread writes page 0 with O_DIRECT; the process faults on page 0 meanwhile. Exposes ' +
      'invalidation that leaves a mapped page not uptodate or mapped with old data, pte dirt pushed ' +
      'into a page being invalidated, and a fault that re-maps the page between the unmap and the ' +
      'drop so that the invalidation fails with -EIO although nobody pins the page.',
    fs: 'ext3',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, buffers: 'clean', mapped: true, pteDirty: true }] },
    threads: [
      { name: 'dio', entry: 'sys_dio_write', args: [file, syncIocb, 0] },
      { name: 'fault', entry: 'user_fault', args: [vma, 0] },
    ],
    invariants: ['mapped-uptodate', 'dirty-uptodate', 'dio-coherency', 'invalidate-eio', 'dirty-data-loss', 'unchecked-return', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: true,
  },
  {
    id: 'dio-write-vs-read',
    title: 'O_DIRECT write vs a buffered read of the same page',
    doc: 'Page 0 of an ext3 file is not cached. One thread writes it with O_DIRECT while another ' +
      'reads it through the page cache, which may bring the old disk contents in while the write ' +
      'is under way. Exposes a cached uptodate page left holding older data than the disk once ' +
      'the O_DIRECT write has returned.',
    fs: 'ext3',
    file: { size: PAGE, pages: [{ index: 0, cached: false }] },
    threads: [
      { name: 'dio', entry: 'sys_dio_write', args: [file, syncIocb, 0] },
      { name: 'read', entry: 'sys_read', args: [file, 0] },
    ],
    invariants: ['dio-coherency', 'invalidate-eio', 'mapped-uptodate', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
  {
    id: 'dio-write-vs-mmap-write',
    title: 'O_DIRECT write vs stores through a shared mapping',
    doc: 'Page 0 of an ext3 file is cached, uptodate and mapped by a clean pte. One thread writes ' +
      'page 0 with O_DIRECT while the process keeps storing into it through the mapping. Exposes ' +
      'stores lost when dirt is cleared without writeback, dirty pages that are not uptodate, ' +
      'stale mapped data after the write, and -EIO from an invalidation that only met pte dirt.',
    fs: 'ext3',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, buffers: 'clean', mapped: true }] },
    threads: [
      { name: 'dio', entry: 'sys_dio_write', args: [file, syncIocb, 0] },
      { name: 'store', entry: 'user_store', args: [vma, 0] },
    ],
    invariants: ['dio-coherency', 'dirty-data-loss', 'dirty-uptodate', 'mapped-uptodate', 'invalidate-eio', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: true,
  },
  {
    id: 'aio-dio-write',
    title: 'Asynchronous O_DIRECT write whose invalidation fails',
    doc: 'Page 0 of an ext3 file is cached and uptodate, and the journal holds its buffers (ordered ' +
      'data), so they cannot be released and any invalidation of the page fails. One thread ' +
      'submits an asynchronous O_DIRECT write of page 0: ->direct_IO queues the bios and returns ' +
      '-EIOCBQUEUED, after which the bio completion owns the iocb. Exposes an invalidation error ' +
      'that replaces -EIOCBQUEUED so that the submit path completes the iocb as well.',
    fs: 'ext3',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, buffers: 'pinned' }] },
    threads: [
      { name: 'aio', entry: 'sys_dio_write', args: [file, { iocb: { sync: false } }, 0] },
    ],
    invariants: ['aio-complete-once', 'error-clobber', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
  {
    id: 'truncate-vs-fault',
    title: 'Truncate while a fault sleeps reading the page',
    doc: 'A two-page file with page 1 not cached. The process faults on page 1 and sleeps in ' +
      '->nopage while the page is read; meanwhile truncate shrinks the file to one page, shoots ' +
      'down the ptes beyond it and drops page 1 from the cache. Exposes a fault that maps the ' +
      'page it got before the truncate: a pte beyond i_size mapping a page no longer in the file.',
    fs: 'ext3',
    file: { size: 2 * PAGE, pages: [{ index: 0, uptodate: true }, { index: 1, cached: false }] },
    threads: [
      { name: 'fault', entry: 'user_fault', args: [vma, 1] },
      { name: 'truncate', entry: 'sys_truncate', args: [inode, PAGE] },
    ],
    invariants: ['stray-page', 'mapped-uptodate', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
  {
    id: 'invalidate-vs-fault',
    title: 'NFS revalidation vs a process that keeps faulting',
    doc: 'Page 0 of an NFS file is cached, uptodate and mapped. NFS revalidates the file (the server ' +
      'changed it) and invalidates its pages while the process keeps touching page 0, faulting ' +
      'it back in whenever its pte is gone. Exposes mapped pages that are not uptodate, pages ' +
      'that survive the invalidation, and an invalidation loop that never ends while faults keep coming.',
    fs: 'nfs',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, mapped: true }] },
    threads: [
      { name: 'revalidate', entry: 'nfs_revalidate', args: [inode] },
      { name: 'fault', entry: 'user_fault', args: [vma, 0], repeat: true },
    ],
    invariants: ['mapped-uptodate', 'invalidate-eio', 'livelock', 'unchecked-return', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
  {
    id: 'revalidate-vs-mmap-write',
    title: 'NFS revalidation vs stores through a shared mapping',
    doc: 'Page 0 of an NFS file is cached, uptodate and mapped by a clean pte. NFS revalidates the ' +
      'file and invalidates its pages while the process stores into page 0 through the mapping, ' +
      'faulting it back in when its pte is gone. Exposes a store that the unmap moved into the ' +
      'page and that is dropped with it instead of being written to the server, and dirty pages ' +
      'that are not uptodate.',
    fs: 'nfs',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, mapped: true }] },
    threads: [
      { name: 'revalidate', entry: 'nfs_revalidate', args: [inode] },
      { name: 'store', entry: 'user_store', args: [vma, 0] },
    ],
    invariants: ['dirty-data-loss', 'dirty-uptodate', 'mapped-uptodate', 'invalidate-eio', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: true,
  },
  {
    id: 'invalidate-vs-zap',
    title: 'Invalidation vs munmap of a dirty mapping',
    doc: 'Page 0 of an ext3 file is cached, uptodate and mapped by a pte that a store has dirtied. ' +
      'One thread invalidates the file\'s pages while the process unmaps the mapping, which hands ' +
      'the pte\'s dirty bit to the page (zap_pte_range). Exposes dirt pushed into a page that was ' +
      'just marked not uptodate, a store lost when that dirt is cleared, and -EIO from an ' +
      'invalidation that only met dirt its own unmap created.',
    fs: 'ext3',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, buffers: 'clean', mapped: true, pteDirty: true }] },
    threads: [
      { name: 'invalidate', entry: 'invalidate_inode_pages2', args: [mapping] },
      { name: 'munmap', entry: 'sys_munmap', args: [vma] },
    ],
    invariants: ['dirty-uptodate', 'mapped-uptodate', 'dirty-data-loss', 'invalidate-eio', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: true,
  },
  {
    id: 'invalidate-vs-writeback',
    title: 'Invalidation vs writeback of a dirty page',
    doc: 'Page 0 of an ext3 file is cached, uptodate and dirty with dirty buffers. One thread ' +
      'invalidates the file\'s pages while pdflush writes page 0 back. Exposes dirty data ' +
      'dropped without being written and invalidation failures blamed on a page only being ' +
      'written back.',
    fs: 'ext3',
    file: { size: PAGE, pages: [{ index: 0, uptodate: true, dirty: true, buffers: 'dirty' }] },
    threads: [
      { name: 'invalidate', entry: 'invalidate_inode_pages2', args: [mapping] },
      { name: 'writeback', entry: 'writeback_one', args: [mapping, 0] },
    ],
    invariants: ['dirty-data-loss', 'dirty-uptodate', 'invalidate-eio', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: true,
  },
  {
    id: 'invalidate-vs-invalidate',
    title: 'Two invalidations of the same NFS file',
    doc: 'Pages 0 and 1 of an NFS file are cached and uptodate, page 0 mapped. Two threads ' +
      'revalidate the file at once, each locking and dropping pages. Exposes page locks taken ' +
      'out of index order, deadlock, and one invalidation failing because the other holds the page.',
    fs: 'nfs',
    file: { size: 2 * PAGE, pages: [{ index: 0, uptodate: true, mapped: true }, { index: 1, uptodate: true }] },
    threads: [
      { name: 'revalidate-a', entry: 'nfs_revalidate', args: [inode] },
      { name: 'revalidate-b', entry: 'nfs_revalidate', args: [inode] },
    ],
    invariants: ['lock-order', 'mapped-uptodate', 'invalidate-eio', 'livelock', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
  {
    id: 'fault-read-error',
    title: 'A fault whose read fails',
    doc: 'Page 0 of an ext3 file is not cached and the disk fails every read of it. The process ' +
      'faults on page 0: the fault starts the read, which completes with PG_error and the page ' +
      'not uptodate. Exposes a failed read mapped as if it were uptodate, and a fault that retries ' +
      'the read for as long as the disk keeps failing instead of returning SIGBUS.',
    fs: 'ext3',
    readErrors: true,
    file: { size: PAGE, pages: [{ index: 0, cached: false }] },
    threads: [{ name: 'fault', entry: 'user_fault', args: [vma, 0] }],
    invariants: ['mapped-uptodate', 'livelock', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
  {
    id: 'invalidate-past-4g',
    title: 'Invalidation of a mapped page past 4 GiB',
    doc: 'Page 2^20 of an NFS file (byte offset 4 GiB) is cached, uptodate and mapped by a small ' +
      'vma at that file offset, as a 32-bit process maps it (mmap2). One thread invalidates that ' +
      'page range. Exposes byte offsets computed in a 32-bit pgoff_t under --abi ilp32: the unmap ' +
      'misses the page, which stays mapped (or the unmap loop never ends).',
    fs: 'nfs',
    file: { size: HIGH_PAGE * PAGE + PAGE, pages: [{ index: HIGH_PAGE, uptodate: true, mapped: true }] },
    vma: { pgoff: HIGH_PAGE, pages: 1 },
    threads: [{ name: 'invalidate', entry: 'invalidate_inode_pages2_range', args: [mapping, HIGH_PAGE, HIGH_PAGE] }],
    invariants: ['mapped-uptodate', 'stray-page', 'livelock', ...ALWAYS],
    bounds: BOUNDS,
    epilogue: false,
  },
];

/** The contract ids, in catalog order. */
export const BUILTIN_IDS: readonly string[] = BUILTIN_SCENARIOS.map((s) => s.id);

export function builtinScenario(id: string): ScenarioSpec | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.id === id);
}
