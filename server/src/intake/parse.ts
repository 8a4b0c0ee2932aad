import type { PatchDocument } from './types';

/** Reads a patch, mail, mbox or prose text. Never throws: problems are in the result. */
export function parseDocument(text: string, path: string): PatchDocument {
  return { path, kind: 'prose', lines: text.split(/\r\n|\r|\n/), messages: [], files: [], codeBlocks: [], problems: [] };
}
