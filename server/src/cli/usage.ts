/** The help text of `kpr`; kept apart so `--help` and usage errors print the same words. */
export const USAGE = `kpr — Kernel Patch Reasoner

Usage:
  kpr check [--format text|json|sarif] FILE...   analyse patches, mails and mboxes
  kpr scenarios [FILE]                          list the scenarios (that apply to FILE)
  kpr run SCENARIO [--patch FILE] [--side pre|post] [--format text|json]
                                                run one scenario and print its trace
  kpr lsp --stdio                               start the language server on stdin/stdout
  kpr help | --help | -h                        show this help
  kpr --version | -V                            print the version

Exit status: 0 when no error-severity finding is introduced or remaining, 1 when one is,
2 for bad usage or unreadable input.
`;
