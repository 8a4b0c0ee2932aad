/**
 * A scenario: an initial page-cache state, the threads that run on it, the invariants to check and
 * the bounds of the search (DESIGN section 6). Built-in scenarios and users' `.kpr/scenarios/*.json`
 * share this shape; the JSON schema for users mirrors it.
 */
import type { RuleId } from '../findings';

export type BufferState = 'none' | 'clean' | 'dirty' | 'pinned';

/** One page of the scenario's file at the start. */
export interface PageSpec {
  index: number;
  /** In the page cache at all (default true). */
  cached?: boolean;
  uptodate?: boolean;
  dirty?: boolean;
  writeback?: boolean;
  /** ext3 pages carry buffers; nfs pages never do. Default: 'clean' for ext3 when cached, 'none' for nfs. */
  buffers?: BufferState;
  /** Mapped by a pte of the scenario's process. */
  mapped?: boolean;
  /** That pte's dirty bit (a store went through it). */
  pteDirty?: boolean;
  /** Extra references held by someone outside the threads (get_user_pages, the journal). */
  extraRefs?: number;
}

/** An argument to a thread's entry function: an integer, or one of the scenario's objects. */
export type ArgSpec =
  | number
  | { ref: 'file' | 'mapping' | 'inode' | 'vma' | 'mm' }
  /** A fresh kiocb; `sync: false` makes ->direct_IO queue the I/O and return -EIOCBQUEUED. */
  | { iocb: { sync: boolean } };

export interface ThreadSpec {
  /** Short name shown in traces ("dio", "fault", "truncate"). */
  name: string;
  /** Entry function: a function of the era library (a driver such as `sys_dio_write`) or of the patch. */
  entry: string;
  args: ArgSpec[];
  /** Repeats its entry forever (a process that keeps faulting or storing), to expose livelock. */
  repeat?: boolean;
}

export interface Bounds {
  /**
   * Context bound of the fallback: when the complete search cannot finish within `states` or
   * `depth`, schedules with at most this many preemptions are searched (explore/complete.ts).
   * Absent: the fallback's default. It never limits a search that can be complete.
   */
  preemptions?: number;
  /** Most states the search may visit. */
  states: number;
  /** Most steps in one schedule. */
  depth: number;
}

export interface ScenarioSpec {
  /** Contract id, e.g. `dio-write-vs-fault`. */
  id: string;
  title: string;
  /** One paragraph: what the threads do and what it exposes. */
  doc: string;
  fs: 'ext3' | 'nfs';
  /** The I/O-error flavour: every read of a page fails (PG_error set, the page stays not uptodate). */
  readErrors?: boolean;
  /** File size in bytes and the pages that exist at the start. */
  file: { size: number; pages: PageSpec[] };
  /**
   * The part of the file the process maps, in pages from `pgoff` (default: the whole file from
   * page 0). A page past 4 GiB is mapped the way i386 must map it: a small vma at a high pgoff
   * (mmap2), since a 32-bit address space cannot hold the whole file.
   */
  vma?: { pgoff: number; pages: number };
  threads: ThreadSpec[];
  invariants: RuleId[];
  bounds: Bounds;
  /** Run sync, then drop clean pages, after the threads finish (for final-content invariants). */
  epilogue: boolean;
  /** Eras the scenario applies to; absent means every era whose library has the entry functions. */
  eras?: string[];
}
