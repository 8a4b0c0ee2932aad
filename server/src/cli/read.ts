/** Reads input files as bytes and decodes them to text (with intake's decoder), for `kpr check`. */
import { readFile } from 'node:fs/promises';
import { decodeDocument } from '../intake/decode';
import type { IntakeProblem } from '../intake/types';

export type ReadResult =
  | { ok: true; path: string; text: string; problems: IntakeProblem[] }
  | { ok: false; path: string; error: string };

export async function readInput(path: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { ok: false, path, error: why };
  }
  // Invalid UTF-8 and binary noise are survived: they become problems, never a refusal.
  const { text, problems } = decodeDocument(bytes);
  return { ok: true, path, text, problems };
}
