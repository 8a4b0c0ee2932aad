/**
 * Where the library's function definitions lie, computed once at build time so that a process
 * does not parse the whole library with tree-sitter to find them (the era chooser reads every
 * era's functions for every document: about 100-190 ms of a `kpr check`, before any search).
 *
 * `scripts/build.mjs` writes it beside the bundled library (`server/dist/library/spans.json`),
 * from the same parse the library does without it (`librarySpans` in index.ts). It holds, per
 * `.c` file, each function definition's name and first and last line, and per function a layer's
 * diff composes, the name the composed text defines. It is keyed by a hash of every layer's
 * files: a library that differs from the one it was computed on (a layer edited after the build)
 * does not use it and is parsed as before, so it can make reading faster but never different.
 */
import { createHash } from 'node:crypto';

/** A function definition of a `.c` file: its name ('' when it names none) and 0-based first and last line. */
export type Span = [name: string, first: number, last: number];

export interface LibrarySpans {
  /** `libraryHash` of the layers these were computed on. */
  hash: string;
  /** Per `<layer>/<name>.c`: its function definitions in file order. */
  files: Record<string, Span[]>;
  /** Per `<layer>/<name>.c.patch|<function>`: the name the composed text defines ('' for none). */
  composed: Record<string, string>;
}

/** What a hash reads of a layer (index.ts's LayerSource). */
interface HashedLayer {
  layer: string;
  files: readonly { name: string; text: string }[];
  info?: string;
}

/** A hash of every layer's name, files and `layer.json`, in a fixed order. */
export function libraryHash(layers: readonly HashedLayer[]): string {
  const h = createHash('sha256');
  for (const l of [...layers].sort((a, b) => (a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : 0))) {
    h.update(`\0layer ${l.layer}\0${l.info ?? ''}`);
    for (const f of [...l.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(`\0file ${f.name}\0${f.text}`);
  }
  return h.digest('hex');
}

/** Whether `v` has the shape of LibrarySpans (a file read from disk may not). */
export function isLibrarySpans(v: unknown): v is LibrarySpans {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const record = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (typeof o.hash !== 'string' || !record(o.files) || !record(o.composed)) return false;
  const spanOk = (s: unknown) => Array.isArray(s) && s.length === 3 && typeof s[0] === 'string' && Number.isInteger(s[1]) && Number.isInteger(s[2]);
  return Object.values(o.files as object).every((list) => Array.isArray(list) && list.every(spanOk))
    && Object.values(o.composed as object).every((n) => typeof n === 'string');
}
