/** Where the CLI's commands write: standard output and standard error (main.ts binds them; tests capture them). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}
