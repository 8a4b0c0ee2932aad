/**
 * What one scenario run gives the surfaces: per side (pre, post), the steps of the trace with the
 * state of every page after each step, and what broke. The LSP `kpr.runScenario` command returns
 * it, the trace view renders it, and hover traces summarise it.
 */
import type { FailureReason, RuleId, Side } from '../findings';
import type { Range } from '../intake/document';

/** The state of one page of the scenario's file after a step. */
export interface PageSnapshot {
  index: number;
  /** In the page cache. */
  cached: boolean;
  uptodate: boolean;
  dirty: boolean;
  writeback: boolean;
  /** Thread holding the page lock, if any. */
  lockedBy?: string;
  /** Number of ptes mapping it, and whether any of them is dirty. */
  mapped: number;
  pteDirty: boolean;
  refcount: number;
  buffers: 'none' | 'clean' | 'dirty' | 'pinned';
  /** Data version the page holds, and the one the disk holds for its index. */
  data: number;
  disk: number;
}

/** An iocb after a step: as the submitter set it up and what its completion said. */
export interface IocbSnapshot {
  id: number;
  sync: boolean;
  /** ->direct_IO queued the I/O (returned -EIOCBQUEUED). */
  queued: boolean;
  completions: number;
  /** Result of the first completion (or returned for a sync kiocb), with its errno ("-5 (-EIO)"). */
  result?: string;
}

/** A thread's frames running the patch's functions, their integer locals, and what its entry returned. */
export interface ThreadLocals {
  thread: string;
  frames: { function: string; locals: Record<string, string> }[];
  returned?: string;
}

export interface RunStep {
  thread: string;
  function: string;
  source: 'patch' | 'model';
  /** Document range for patch code. */
  range?: Range;
  /** Library file and 0-based line for model code. */
  modelFile?: string;
  modelLine?: number;
  code: string;
  /** What the step changed, in words ("page 0: uptodate → no"). */
  effect: string;
  pages: PageSnapshot[];
  /** Every iocb after the step (absent when the scenario has none). */
  iocbs?: IocbSnapshot[];
  /** Locals of the patch's frames and threads' returns after the step (absent when none). */
  locals?: ThreadLocals[];
}

export interface RunViolation {
  rule: RuleId;
  message: string;
  /** Index into `steps` of the step after which it was seen. */
  step: number;
  reason?: FailureReason;
  /** A livelock's lasso: the steps (indexes into `steps`) of the loop that repeats forever, first and last. */
  lasso?: { from: number; to: number };
}

export interface SideRun {
  side: Side;
  era: string;
  steps: RunStep[];
  violations: RunViolation[];
  /** Whether the search behind this trace covered its bounded space. */
  complete: boolean;
  states: number;
  ms: number;
  /** Searched, not replayed: every rule the search found broken on this side (the trace shows one). */
  broken?: RuleId[];
  /** Searched, not replayed: the whole state space was covered, whatever the preemption bound. */
  exhaustive?: boolean;
  /** Searched and not exhaustive: the preemption bound up to which it is complete (null: none). */
  bound?: number | null;
  /** Not searched: one interleaving was run (`kpr run --schedule` / `--random`), so `complete` is
   *  false and `states` counts the states along that one run. */
  replayed?: 'schedule' | 'random';
}

export interface ScenarioRun {
  scenario: string;
  title: string;
  threads: string[];
  pre?: SideRun;
  post?: SideRun;
}

/** What one side's search covered (DESIGN section 10, `scenarios[].pre` / `.post`). */
export interface SideStats {
  states: number;
  ms: number;
  /** The whole state space was searched, whatever the preemption bound. */
  exhaustive: boolean;
  /** Otherwise the preemption bound up to which the search is complete (null: none). */
  bound: number | null;
  /** Why the search stopped early (states, time, memory, cancelled, depth), when it did. */
  stopped?: string;
}

/** One scenario of a document's model tier: judged on both sides, or why not. */
export interface ScenarioReport {
  id: string;
  era: string;
  /** Index of the mail in an mbox series (-1 outside mails). */
  message: number;
  judged: boolean;
  why?: string;
  pre?: SideStats;
  post?: SideStats;
}
