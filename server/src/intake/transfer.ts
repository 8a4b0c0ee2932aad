/**
 * Content-Transfer-Encoding decoders for mail parts (RFC 2045): base64 and quoted-printable,
 * then the part's charset. Written here rather than taken from a MIME library because intake
 * needs where each decoded character came from in the document (a quoted-printable line maps
 * back to its own encoded line and column), which no MIME parser reports. Never throws: a part
 * that cannot be decoded returns the reason instead.
 *
 * Charsets: utf-8, us-ascii (read as utf-8, which it is a subset of: mailers often label utf-8
 * text us-ascii) and iso-8859-1 / latin1. Any other charset is refused with its name.
 */

/** A decoded line and, for quoted-printable, where its characters came from. */
export interface DecodedText {
  lines: string[];
  /**
   * Quoted-printable only: per decoded line, breakpoints [character, document line, column]
   * (flattened triples, ascending by character): character c of the line lies at
   * (line, column + c - character) of the last breakpoint at or before c.
   */
  origins?: number[][];
}

/** A failure may name the line of the encoded body it is about (0-based in the body handed in). */
export type Decoded = { ok: true; text: DecodedText; bytes: number } | { ok: false; why: string; bodyLine?: number };

/** Charsets the decoders read, by their lower-case label. */
const CHARSETS = new Map<string, 'utf-8' | 'latin1'>([
  ['utf-8', 'utf-8'], ['utf8', 'utf-8'], ['us-ascii', 'utf-8'], ['ascii', 'utf-8'],
  ['iso-8859-1', 'latin1'], ['iso8859-1', 'latin1'], ['latin1', 'latin1'], ['latin-1', 'latin1'],
]);

const unknownCharset = (charset: string): Decoded => ({ ok: false, why: `its charset "${charset}" is not one kpr decodes (utf-8, us-ascii, iso-8859-1)` });
const tooLarge = (maxBytes: number): Decoded => ({ ok: false, why: `it decodes to more than ${Math.round(maxBytes / 1048576)} MiB, the bound on decoded text per document` });

/**
 * Bytes to text, one UTF-16 unit array per byte group. `unitByte[k]` is the byte index where
 * UTF-16 unit k starts (filled only when `unitByte` is given), so quoted-printable positions
 * survive multi-byte characters. Invalid UTF-8 bytes become U+FFFD, one per byte.
 */
function bytesToText(bytes: Uint8Array | number[], charset: 'utf-8' | 'latin1', unitByte?: number[]): string {
  const out: number[] = [];
  let text = '';
  const flush = () => { text += String.fromCharCode(...out); out.length = 0; };
  const n = bytes.length;
  for (let i = 0; i < n;) {
    const b = bytes[i]!;
    let cp = b;
    let len = 1;
    if (charset === 'utf-8' && b >= 0x80) {
      len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      cp = len === 2 ? b & 0x1f : len === 3 ? b & 0x0f : b & 0x07;
      for (let k = 1; k < len; k++) {
        const c = bytes[i + k];
        if (c === undefined || (c & 0xc0) !== 0x80) { len = 0; break; }
        cp = (cp << 6) | (c & 0x3f);
      }
      const min = len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000;
      if (len === 0 || cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) { cp = 0xfffd; len = 1; }
    }
    if (cp > 0xffff) {
      unitByte?.push(i, i);
      out.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
      unitByte?.push(i);
      out.push(cp);
    }
    if (out.length >= 4096) flush();
    i += len;
  }
  flush();
  return text;
}

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => { B64[c.charCodeAt(0)] = i; });

/**
 * Decodes base64 body lines. White space is ignored; any other character outside the alphabet,
 * `=` padding before the end, or a length that padding cannot complete, refuses the part with
 * the line where it went wrong as data (`bodyLine`, 0-based within the lines handed in).
 */
export function decodeBase64(lines: readonly string[], charset: string, maxBytes: number): Decoded {
  const cs = CHARSETS.get(charset.toLowerCase());
  if (!cs) return unknownCharset(charset);
  let chars = 0;
  for (const l of lines) chars += l.length;
  if ((chars * 3) / 4 > maxBytes) return tooLarge(maxBytes);
  const out = new Uint8Array(Math.ceil((chars * 3) / 4));
  let o = 0;
  let acc = 0;
  let have = 0;
  let pad = 0;
  for (let li = 0; li < lines.length; li++) {
    const l = lines[li]!;
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x3d /* = */) { pad++; continue; }
      const v = c < 128 ? B64[c]! : -1;
      if (v < 0) return { ok: false, why: `its body holds "${l[i]}", which is not base64`, bodyLine: li };
      if (pad > 0) return { ok: false, why: 'its body has base64 after "=" padding', bodyLine: li };
      acc = (acc << 6) | v;
      if (++have === 4) {
        out[o++] = (acc >> 16) & 0xff; out[o++] = (acc >> 8) & 0xff; out[o++] = acc & 0xff;
        acc = 0; have = 0;
      }
    }
  }
  if (have === 1 || pad > 2 || (pad > 0 && have + pad !== 4)) return { ok: false, why: 'its base64 ends in an incomplete group (bad padding)' };
  // A missing `=` padding is tolerated, as most decoders do: the group is complete enough.
  if (have === 2) out[o++] = (acc >> 4) & 0xff;
  if (have === 3) { out[o++] = (acc >> 10) & 0xff; out[o++] = (acc >> 2) & 0xff; }
  const text = bytesToText(out.subarray(0, o), cs);
  return { ok: true, text: { lines: text.split(/\r\n|\r|\n/) }, bytes: o };
}

const UTF8 = new TextEncoder();

const hex = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1);

/**
 * Decodes quoted-printable body lines `lines`, the first of which is document line `first`.
 * `=XX` is a byte, `=` at the end of a line joins it with the next (a soft line break), trailing
 * white space is dropped (RFC 2045 6.7), and a `=` not followed by two hex digits is kept as it
 * is (the robust reading RFC 2045 recommends). Position rule: each decoded line starts on the
 * encoded line where its first character was written, and every character maps to the column
 * of its `=XX` escape or literal character, across soft line breaks.
 */
export function decodeQuotedPrintable(lines: readonly string[], first: number, charset: string, maxBytes: number): Decoded {
  const cs = CHARSETS.get(charset.toLowerCase());
  if (!cs) return unknownCharset(charset);
  let chars = 0;
  for (const l of lines) chars += l.length;
  if (chars > maxBytes) return tooLarge(maxBytes);
  const out: string[] = [];
  const origins: number[][] = [];
  let bytes: number[] = [];
  let from: number[] = []; // per byte: document line, column (pairs)
  let total = 0;
  const endLine = () => {
    const unitByte: number[] = [];
    const text = bytesToText(bytes, cs, unitByte);
    const bp: number[] = [];
    for (let u = 0; u < unitByte.length; u++) {
      const b = unitByte[u]!;
      const line = from[2 * b]!;
      const col = from[2 * b + 1]!;
      const k = bp.length - 3;
      // A new breakpoint only where the column does not follow on from the previous one.
      if (k < 0 || bp[k + 1] !== line || bp[k + 2]! + (u - bp[k]!) !== col) bp.push(u, line, col);
    }
    if (bp.length === 0) bp.push(0, from[0] ?? pending, from[1] ?? 0);
    out.push(text);
    origins.push(bp);
    total += bytes.length;
    bytes = [];
    from = [];
  };
  let pending = first; // document line where the current decoded line started
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li]!;
    const docLine = first + li;
    if (bytes.length === 0) pending = docLine;
    let end = raw.length;
    while (end > 0 && (raw.charCodeAt(end - 1) === 0x20 || raw.charCodeAt(end - 1) === 0x09)) end--;
    let soft = false;
    for (let i = 0; i < end; i++) {
      const c = raw.charCodeAt(i);
      if (c === 0x3d /* = */) {
        if (i === end - 1) { soft = true; break; }
        const h = hex(raw.charCodeAt(i + 1));
        const l = hex(raw.charCodeAt(i + 2));
        if (h >= 0 && l >= 0 && i + 2 < end) {
          bytes.push((h << 4) | l);
          from.push(docLine, i);
          i += 2;
          continue;
        }
      }
      // A literal character: QP text is 7-bit, but a mailer may have passed 8-bit text through.
      const units = c >= 0x80 ? UTF8.encode(raw[i]!) : [c];
      for (const u of units) { bytes.push(u); from.push(docLine, i); }
    }
    if (!soft) {
      if (from.length === 0) from.push(docLine, 0);
      endLine();
      if (total > maxBytes) return tooLarge(maxBytes);
    }
  }
  if (bytes.length > 0) endLine();
  return { ok: true, text: { lines: out, origins }, bytes: total };
}
