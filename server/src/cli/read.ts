/**
 * Reads input files as bytes and decodes them to text (with intake's decoder), for `kpr check`.
 * At most `maxBytes` are read: a larger file (or a device or FIFO that never ends) is read up to
 * the bound and cut after its last whole line there; the caller cuts the text at a hunk boundary
 * and says where the analysis stopped.
 */
import { open } from 'node:fs/promises';
import { decodeDocument } from '../intake/decode';
import type { IntakeProblem } from '../intake/document';

export type ReadResult =
  | {
      ok: true; path: string; text: string; problems: IntakeProblem[];
      /** Set when the input was longer than the bound: its size when known (a regular file). */
      truncated?: { totalBytes?: number };
    }
  | { ok: false; path: string; error: string };

const CHUNK = 1 << 20;

function errorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
}

export async function readInput(path: string, maxBytes = Number.POSITIVE_INFINITY): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let got = 0;
  let totalBytes: number | undefined;
  try {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      if (st.isDirectory()) return { ok: false, path, error: 'is a directory' };
      if (st.isFile()) totalBytes = st.size;
      while (got <= maxBytes) {
        const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, maxBytes + 1 - got)));
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        chunks.push(buf.subarray(0, bytesRead));
        got += bytesRead;
      }
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, path, error: errorText(err) };
  }
  let bytes = Buffer.concat(chunks, got);
  const truncated = got > maxBytes;
  if (truncated) {
    // Keep whole lines only, so no character is split in two.
    const nl = bytes.lastIndexOf(0x0a, maxBytes - 1);
    bytes = bytes.subarray(0, nl >= 0 ? nl + 1 : maxBytes);
  }
  // Invalid UTF-8 and binary noise are survived: they become problems, never a refusal.
  const { text, problems } = decodeDocument(bytes);
  return truncated ? { ok: true, path, text, problems, truncated: totalBytes !== undefined ? { totalBytes } : {} } : { ok: true, path, text, problems };
}
