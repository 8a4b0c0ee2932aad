/**
 * Findings: what every tier reports, and the catalog of rule ids (DESIGN section 6). The ids are
 * part of the public contract (JSON, SARIF, diagnostics codes); one spelling each.
 */
import type { NamedLine, Range, RelatedPlace } from './intake/document';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
/**
 * How a finding compares the two sides (DESIGN section 8): introduced (post only), fixed (pre
 * only), narrowed / widened (both, post needing more / fewer preemptions), remaining (both alike),
 * present (mail code, one side), unjudged (a side that could not be judged: nothing is claimed).
 */
/** The two sides every finding compares: the code before the patch and after it. */
export type Side = 'pre' | 'post';

export type Status = 'introduced' | 'remaining' | 'fixed' | 'narrowed' | 'widened' | 'present' | 'unjudged';

export type Tier = 'static' | 'model';
/** Why an invalidation failed (the four cases of seed 004), and how a finding's message words each. */
export const FAILURE_REASONS = {
  dirty: 'the page is dirty',
  locked: 'someone else holds the page lock',
  'elevated-count': 'its reference count is elevated',
  buffers: 'its buffers cannot be released',
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS;

export function isFailureReason(s: string): s is FailureReason {
  return Object.hasOwn(FAILURE_REASONS, s);
}

export interface RuleInfo {
  /** One line: what holds when the rule is kept. */
  doc: string;
  /** The kernel rule it comes from. */
  kernelRule: string;
  severity: Severity;
}

export const RULES = {
  'mapped-uptodate': {
    doc: 'Every page mapped by a pte is uptodate.',
    kernelRule: 'A page is only mapped into user space once PG_uptodate is set; a fault never maps a page whose read failed.',
    severity: 'error',
  },
  'dirty-uptodate': {
    doc: 'Every dirty page is uptodate (writeback of a non-uptodate page writes garbage).',
    kernelRule: 'set_page_dirty() on a !PageUptodate page lets writepage send stale data to disk.',
    severity: 'error',
  },
  'stray-page': {
    doc: 'No pte maps a page that has left its page cache or lies past i_size after truncate.',
    kernelRule: 'truncate must shoot down every pte beyond the new i_size; a racing fault must re-check (truncate_count).',
    severity: 'error',
  },
  'dio-coherency': {
    doc: 'After an O_DIRECT write succeeds, cached and mapped pages of its range hold what the disk holds.',
    kernelRule: 'generic_file_direct_IO invalidates the written range so later buffered reads and faults see the new data.',
    severity: 'error',
  },
  'dirty-data-loss': {
    doc: 'After sync and drop, the disk holds the last write to every page, stores through ptes included.',
    kernelRule: 'A dirty pte or dirty page may only be cleaned by writing it back.',
    severity: 'error',
  },
  'aio-complete-once': {
    doc: 'Every iocb is completed exactly once.',
    kernelRule: 'Once ->direct_IO returns -EIOCBQUEUED the bio completion owns the iocb and calls aio_complete().',
    severity: 'error',
  },
  'invalidate-eio': {
    doc: 'An invalidation reports failure only when a user really pins a page.',
    kernelRule: 'invalidate_inode_pages2() returns -EIO only for pages it could not drop.',
    severity: 'warning',
  },
  deadlock: {
    doc: 'Some thread can always move.',
    kernelRule: 'Sleeping locks must be taken in a consistent order and always released.',
    severity: 'error',
  },
  livelock: {
    doc: 'No thread can loop forever without progress under a fair schedule.',
    kernelRule: 'A retry loop must make progress even while other tasks keep faulting pages back in.',
    severity: 'warning',
  },
  'sleep-in-atomic': {
    doc: 'Nothing sleeps while holding a spinlock.',
    kernelRule: 'Calling a function that may sleep with a spinlock held is a bug ("scheduling while atomic").',
    severity: 'error',
  },
  'lock-order': {
    doc: 'Page locks are taken in ascending index order.',
    kernelRule: 'When more than one page lock is held they are taken in file-index-ascending order.',
    severity: 'warning',
  },
  'flag-without-lock': {
    doc: 'PG_uptodate and page-cache removal change only under the page lock.',
    kernelRule: 'PG_uptodate, ->mapping and radix-tree removal are protected by PG_locked.',
    severity: 'warning',
  },
  'unchecked-return': {
    doc: 'Results that report failure (invalidate_complete_page, invalidation, writeback) are used.',
    kernelRule: 'A failure that is not looked at leaves the page cache out of step with what the caller assumes.',
    severity: 'warning',
  },
  'error-clobber': {
    doc: 'No error code overwrites a pending -EIOCBQUEUED on a path that can reach the overwrite.',
    kernelRule: '-EIOCBQUEUED means the I/O is in flight and its completion owns the iocb.',
    severity: 'error',
  },
  'c-warning': {
    doc: 'Added code has none of the warnings gcc -Wall -Wextra would give.',
    kernelRule: 'Kernel code builds warning-free.',
    severity: 'warning',
  },
  'patch-syntax': {
    doc: 'The patch is well formed.',
    kernelRule: 'A patch must apply: hunk headers agree with their bodies.',
    severity: 'error',
  },
  unmodeled: {
    doc: 'Every call is known to the model (a note, not a failure).',
    kernelRule: 'Calls the model does not know return any value they could.',
    severity: 'hint',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

export function isRuleId(s: string): s is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, s);
}

export interface TraceStep {
  thread: string;
  function: string;
  /** Document range for patch code; for model code, the 0-based line in `modelFile`. */
  range?: Range;
  modelFile?: string;
  modelLine?: number;
  source: 'patch' | 'model';
  code: string;
  effect: string;
}

export interface RaceWindow {
  /** Victim thread's two consecutive program points (document ranges). */
  from: Range;
  to: Range;
  thread: string;
  interferer: { thread: string; function: string; source: 'patch' | 'model'; range?: Range; modelFile?: string; modelLine?: number };
}

/**
 * How every internal-error finding's message starts (analysis.ts, rules/static.ts): a stage that
 * failed, so the analysis is incomplete (analysis.ts collects them in `Analysis.incomplete`).
 */
export const INTERNAL_ERROR = 'Internal error';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  status: Status;
  tier: Tier;
  /** One sentence: what breaks and why. */
  message: string;
  /** Exact tokens in the document. */
  range: Range;
  /** File the patch changes (`mm/truncate.c`), when the finding lies in a file section. */
  file?: string;
  function?: string;
  related?: RelatedPlace[];
  /** A line the message is about, other than where the finding sits (worded by the surfaces). */
  namedLine?: NamedLine;
  /** Model tier: the primary scenario (the one whose trace is shown) … */
  scenario?: string;
  /** … and every scenario that shows this rule, status and place (the primary one first). */
  scenarios?: string[];
  /** Model tier: the fewest preemptions of the witness on each side that broke the rule. */
  preemptions?: { pre?: number; post?: number };
  /** Model tier: whether the search that produced (or ruled out) this finding ran to the end. */
  complete?: boolean;
  window?: RaceWindow;
  reason?: FailureReason;
  trace?: TraceStep[];
}

/**
 * Where every surface shows a finding (the editor's diagnostic, the text report, SARIF): one
 * statement. For a race, the victim's statement where the window opens (where it was when the
 * other thread got in); `range`, the window's whole span, may run over comments and removed lines
 * and stays in the JSON beside `window`. Other findings already point at one step.
 */
export function primaryRange(f: Finding): Range {
  return f.window ? f.window.from : f.range;
}

/** Every scenario that shows a finding: its `scenarios`, else its one `scenario`, else none. */
export function scenariosOf(f: Finding): string[] {
  const many = f.scenarios;
  return many && many.length > 0 ? [...many] : f.scenario ? [f.scenario] : [];
}
