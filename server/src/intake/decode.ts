/**
 * Bytes to text for files read from disk (the CLI; the language server receives text). Invalid
 * UTF-8 becomes U+FFFD and NUL bytes are kept; each yields one warning naming the first line where
 * it occurs, so that a damaged file is still analysed. Never throws.
 */
import type { IntakeProblem } from './document';

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/** 0-based line of byte offset `offset`, counting line ends as LSP does (CRLF, LF, lone CR). */
function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a) line++;
    else if (b === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  return line;
}

/** A problem on `line`: the message says "this line", and every surface shows which one from the range. */
function problemAt(line: number, message: string): IntakeProblem {
  // The decoded line's length is not known here; a zero-width range at the line start is enough
  // for a diagnostic, and clients widen it to the word.
  return { message, severity: 'warning', range: { start: { line, character: 0 }, end: { line, character: 0 } } };
}

/** Decodes a file's bytes as UTF-8, surviving invalid sequences and binary noise. */
export function decodeDocument(bytes: Uint8Array): { text: string; problems: IntakeProblem[] } {
  const problems: IntakeProblem[] = [];
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    problems.push(problemAt(lineOfOffset(bytes, bad),
      'invalid UTF-8 from this line on: bad bytes were replaced with U+FFFD'));
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    problems.push(problemAt(lineOfOffset(bytes, nul),
      'binary data (NUL bytes) from this line on: this does not look like a text patch'));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch {
    text = ''; // TextDecoder does not throw in non-fatal mode; kept so decoding can never throw.
  }
  return { text, problems };
}
