/** Where the CLI's commands write: standard output and standard error (main.ts binds them; tests capture them). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * A live count on standard error that each call rewrites in place (`\r`); `undefined` ends the
   * line. Shown only when standard error is a terminal: in a log or a pipe every rewrite would be
   * a line of noise.
   */
  progress(line: string | undefined): void;
}
