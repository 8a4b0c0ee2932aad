// Helpers for the load tests: raw JSON-RPC frames written straight to the server's stdin (to send
// what a well-behaved client library never would), a tap on its stdout that sees the answers to
// those frames, a tap on its log messages, and generated patches whose problems sit at known lines.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { LogMessageNotification, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { within } from '../protocol/client';

/** One LSP frame: the header counts bytes, not UTF-16 units. */
export function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

export interface RawMessage {
  id?: number | string | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * Parses the server's stdout a second time, beside the client's own reader, so that answers to
 * requests the client library did not send (raw frames with string ids) can be awaited.
 */
export class StdoutTap {
  private buf = Buffer.alloc(0);
  private readonly byId = new Map<string, RawMessage>();
  private readonly waiters = new Map<string, (m: RawMessage) => void>();

  constructor(child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.feed(chunk));
  }

  private feed(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(this.buf.subarray(0, end).toString('ascii'));
      const length = m ? Number(m[1]) : 0;
      if (this.buf.length < end + 4 + length) return;
      const body = this.buf.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + length);
      // Only answers to raw requests matter here; they carry string ids the client never uses.
      let msg: RawMessage;
      try {
        msg = JSON.parse(body) as RawMessage;
      } catch {
        continue;
      }
      if (typeof msg.id === 'string' && msg.method === undefined) {
        this.byId.set(msg.id, msg);
        this.waiters.get(msg.id)?.(msg);
      }
    }
  }

  /** The server's answer to the raw request `id`, bounded by `ms`. */
  answer(id: string, ms = 10_000): Promise<RawMessage> {
    const seen = this.byId.get(id);
    if (seen) return Promise.resolve(seen);
    return within(ms, `the answer to raw request ${id}`, new Promise((resolve) => this.waiters.set(id, resolve)));
  }
}

/** Writes raw bytes to the server and resolves once they are handed to the pipe. */
export function writeRaw(child: ChildProcessWithoutNullStreams, data: string): Promise<void> {
  return new Promise((resolve, reject) => child.stdin.write(data, (err) => (err ? reject(err) : resolve())));
}

/**
 * A one-file patch whose only hunk is cut off: the header promises `body + 5` lines on each side,
 * the body has `body` context lines and then the text ends. More than three lines are missing, so
 * the intake cannot take them for trimmed blank lines: a patch-syntax error lands on the last
 * body line, which is document line `body + 2` (0-based), with the header (line 2) as related.
 */
export function cutOffPatch(name: string, body: number): { text: string; errorLine: number } {
  const lines = [`--- a/mm/${name}.c`, `+++ b/mm/${name}.c`, `@@ -10,${body + 5} +10,${body + 5} @@ static void ${name}(struct page *page)`];
  for (let i = 0; i < body; i++) lines.push(` \tstep_${i}(page);`);
  // No final newline: a trailing empty line would count as one more blank context line.
  return { text: lines.join('\n'), errorLine: body + 2 };
}

/** A well-formed patch of at least `bytes` bytes: one small function of mm/filemap.c per hunk, about 290 bytes each. */
export function bigPatch(bytes: number): string {
  const parts = ['--- a/mm/filemap.c\n+++ b/mm/filemap.c\n'];
  let size = parts[0]!.length;
  for (let i = 0, line = 100; size < bytes; i++, line += 20) {
    const h =
      `@@ -${line},6 +${line},7 @@ static int load_big_${i}(struct address_space *mapping, unsigned long index)\n` +
      ` \tstruct page *page;\n \n \tspin_lock(&mapping->tree_lock);\n` +
      `+\tpage = radix_tree_lookup(&mapping->page_tree, index + ${i});\n` +
      ` \tspin_unlock(&mapping->tree_lock);\n \tif (!page)\n \t\treturn -ENOMEM;\n`;
    parts.push(h);
    size += h.length;
  }
  return parts.join('');
}

/**
 * Splits `text` into `n` incremental changes (fewer only if it is shorter than n) that build it from an empty document by appending.
 * Each change is expressed as an insertion at the end position of the text so far (line and
 * UTF-16 column), as an editor would send while someone types or pastes in pieces.
 */
export function appendEdits(text: string, n: number): { range: { start: Pos; end: Pos }; text: string }[] {
  const out: { range: { start: Pos; end: Pos }; text: string }[] = [];
  let line = 0;
  let character = 0;
  // Evenly spread cut points: exactly n pieces (some may be one character longer than others).
  for (let k = 0; k < n; k++) {
    const piece = text.slice(Math.floor((k * text.length) / n), Math.floor(((k + 1) * text.length) / n));
    if (piece === '') continue;
    out.push({ range: { start: { line, character }, end: { line, character } }, text: piece });
    const nl = piece.split('\n');
    if (nl.length > 1) {
      line += nl.length - 1;
      character = nl[nl.length - 1]!.length;
    } else {
      character += piece.length;
    }
  }
  return out;
}

export interface Pos {
  line: number;
  character: number;
}

/**
 * Records the server's `window/logMessage` lines, so a test can wait for what the server says it
 * did (an analysis started, work dropped) instead of guessing with a timer.
 */
export class LogTap {
  readonly lines: string[] = [];
  private readonly waiters: { re: RegExp; resolve: (line: string) => void }[] = [];

  constructor(connection: ProtocolConnection) {
    connection.onNotification(LogMessageNotification.type, (p) => {
      this.lines.push(p.message);
      for (const w of [...this.waiters]) {
        if (w.re.test(p.message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.message);
        }
      }
    });
  }

  /** The next line matching `re` from now on, bounded by `ms`. */
  next(re: RegExp, what: string, ms = 60_000): Promise<string> {
    return within(ms, what, new Promise((resolve) => this.waiters.push({ re, resolve })));
  }
}

/** `text` as a literal inside a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
