/** The help text of `kpr`; kept apart so `--help` and usage errors print the same words. */
export const USAGE = `kpr — Kernel Patch Reasoner

Usage:
  kpr check [--format text|json|sarif] [--no-model] [--scenarios DIR] [--abi lp64|ilp32]
            [--memory-model sc|weak] [--max-ms MS] [--max-kb KB] [--max-heap-mb MB] FILE...
                                                analyse patches, mails and mboxes (static and
                                                model tiers; --no-model: static tier only).
                                                Bounds per document: time (default 300000 ms),
                                                input analysed (10240 KB), heap (2048 MB)
  kpr scenarios [FILE] [--scenarios DIR]        list the scenarios (that apply to FILE)
  kpr run SCENARIO [--patch FILE] [--side pre|post] [--format text|json]
          [--schedule T1,T2,...] [--random N [--seed S]] [--scenarios DIR] [--abi lp64|ilp32]
          [--memory-model sc|weak]
                                                run one scenario and print its trace: by default
                                                the bounded search; --schedule replays the given
                                                thread order (then every thread runs to its end);
                                                --random samples N seeded random interleavings
  kpr lsp --stdio                               start the language server on stdin/stdout
  kpr help | --help | -h                        show this help
  kpr --version | -V                            print the version

Scenarios: the built-in ones, plus your own JSON files (server/src/scenarios/schema.json) in
.kpr/scenarios/ of the current directory, or in DIR with --scenarios DIR. A file that is not a
valid scenario is named on stderr with the bad field and left out; \`kpr run\` of its scenario
fails with exit status 2.

--abi: the C integer widths code is lowered with: lp64 (gcc on x86-64, the default) or ilp32
(gcc on i386: long, size_t and pgoff_t are 32 bits, loff_t stays 64), for patches whose
arithmetic differs on 32-bit (a page index shifted past 4 GiB; see scenario invalidate-past-4g).

--memory-model: sc (the default) runs every thread's accesses in program order; weak lets
the stores and loads of i_size and truncate_count be reordered as the Linux-kernel memory model
allows, ordered only by smp_mb/smp_rmb/smp_wmb, locks, ordered atomics and dependencies. Each
thread's pending stores and loads are performed by its memory actor (THREAD.mem in traces, and
in --schedule).

Exit status: 0 when no error-severity finding is introduced, widened or remaining, 1 when one is,
2 for bad usage or unreadable input, 3 when no such finding is known but the analysis is
incomplete (a bound stopped it, a search did not cover its bounded space, or an internal error;
stderr says which). The first that applies wins, in the order 2, 1, 3, 0.
`;
