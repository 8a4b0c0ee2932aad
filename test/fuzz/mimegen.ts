/**
 * Encoded mail for the fuzzers: a window of a seed wrapped as a mail whose patch part is base64,
 * quoted-printable or 8bit, alone or inside multiparts nested 0-12 deep, with random line widths,
 * charsets (known and not), content types (text, octet-stream, image, a multipart in base64) and
 * damage (a character outside base64, `=` padding in the middle, a cut body, a lost closing
 * boundary, CRLF, stray header lines). `plain` is the same mail with the patch part in 8bit,
 * for the differential oracle of mime.test.ts when the encoded form is one intake must decode.
 */
import fc from 'fast-check';
import { loadSeeds } from './mutate';

const seeds = loadSeeds().map((s) => s.text);

export interface MimeParams {
  seed: number;
  from: number;
  len: number;
  encoding: 'base64' | 'quoted-printable' | '8bit';
  width: number;
  charset: string;
  type: string;
  depth: number;
  damage: { kind: 'char' | 'pad' | 'cut' | 'noclose' | 'crlf' | 'header'; at: number }[];
}

export interface MimeMail {
  text: string;
  /** The mail with its patch part in 8bit (same headers, same lines around it). */
  plain: string;
  /** True when the part must decode: known charset, a text type, no damage, within MAX_DEPTH. */
  decodable: boolean;
  /** In `plain`, the line where the patch starts; in `text`, the part's Content-Transfer-Encoding line. */
  plainStart: number;
  header: number;
}

export function mimeParams(): fc.Arbitrary<MimeParams> {
  return fc.record({
    seed: fc.nat({ max: 64 }),
    from: fc.nat({ max: 400 }),
    len: fc.integer({ min: 1, max: 200 }),
    encoding: fc.constantFrom('base64' as const, 'quoted-printable' as const, '8bit' as const),
    width: fc.integer({ min: 1, max: 120 }),
    // Weighted towards parts that must decode, so the differential oracle runs often.
    charset: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('utf-8', 'us-ascii', 'UTF-8', 'iso-8859-1') }, { weight: 1, arbitrary: fc.constantFrom('koi8-r', 'x-unknown') }),
    type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('text/x-patch', 'text/x-diff', 'text/plain') }, { weight: 1, arbitrary: fc.constantFrom('application/octet-stream', 'image/png', 'multipart/mixed') }),
    depth: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 4, max: 12 }) }),
    damage: fc.oneof({ weight: 2, arbitrary: fc.constant([] as MimeParams['damage']) }, {
      weight: 1,
      arbitrary: fc.array(fc.record({ kind: fc.constantFrom('char' as const, 'pad' as const, 'cut' as const, 'noclose' as const, 'crlf' as const, 'header' as const), at: fc.nat({ max: 10_000 }) }), { minLength: 1, maxLength: 2 }),
    }),
  });
}

const KNOWN = new Set(['utf-8', 'us-ascii', 'iso-8859-1']);

function qp(line: string, width: number, latin1: boolean): string[] {
  const bytes = latin1 ? Buffer.from(line, 'latin1') : Buffer.from(line, 'utf8');
  const out: string[] = [];
  let cur = '';
  const w = Math.max(4, Math.min(width, 76));
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const last = i === bytes.length - 1;
    const lit = b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : b === 32 && !last ? ' ' : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (cur.length + lit.length > w - 1) { out.push(`${cur}=`); cur = ''; }
    cur += lit;
  }
  out.push(cur);
  return out;
}

/** Builds the mail for `p`. */
export function mimeMail(p: MimeParams): MimeMail {
  const seedLines = (seeds[p.seed % Math.max(1, seeds.length)] ?? '').split('\n');
  const start = seedLines.length ? p.from % seedLines.length : 0;
  const latin1 = p.charset === 'iso-8859-1';
  let patch = seedLines.slice(start, start + p.len).join('\n') + '\n';
  // A latin-1 part cannot hold characters past U+00FF: both forms get the same stand-in.
  if (latin1) patch = patch.replace(/[^\u0000-\u00ff]/g, '?');
  const head = ['From: A Developer <dev@example.org>', 'Subject: [PATCH] fuzz', 'Date: Fri, 10 Dec 2004 15:13:55 +0000', 'MIME-Version: 1.0'];
  const open: string[] = [];
  const close: string[] = [];
  for (let d = 0; d < p.depth; d++) {
    // The outer Content-Type is a header of the mail; the inner ones head a part each.
    open.push(`Content-Type: multipart/mixed; boundary="b${d}"`, '', ...(d === 0 ? ['preamble', ''] : []), `--b${d}`);
    close.unshift(`--b${d}--`);
  }
  const partHead = (cte: string) => [`Content-Type: ${p.type}; charset=${p.charset}; name="x.patch"`, `Content-Transfer-Encoding: ${cte}`, ''];
  const body = p.encoding === 'base64'
    ? (Buffer.from(patch, latin1 ? 'latin1' : 'utf8').toString('base64').match(new RegExp(`.{1,${p.width}}`, 'g')) ?? [])
    : p.encoding === 'quoted-printable' ? patch.split('\n').flatMap((l) => qp(l, p.width, latin1)) : patch.split('\n');
  const before = [...head, ...open, ...partHead(p.encoding)];
  const header = before.length - 2;
  let lines = [...before, ...body, ...close, ''];
  // The patch's final line end makes the last line of the 8bit form, as it makes the decoded text's.
  const plainLines = [...head, ...open, ...partHead('8bit'), ...patch.slice(0, -1).split('\n'), ...close, ''];
  for (const d of p.damage) {
    const i = before.length + (body.length ? d.at % body.length : 0);
    if (d.kind === 'char' && lines[i] !== undefined) lines[i] = `${lines[i]!.slice(0, 3)}*${lines[i]!.slice(3)}`;
    if (d.kind === 'pad' && lines[i] !== undefined) lines[i] = `${lines[i]!.slice(0, 4)}=${lines[i]!.slice(4)}`;
    if (d.kind === 'cut') lines = lines.slice(0, Math.max(before.length, i));
    if (d.kind === 'noclose') lines = lines.filter((l) => !/^--b\d+--$/.test(l));
    if (d.kind === 'header') lines.splice(Math.min(i, lines.length), 0, 'Content-Transfer-Encoding: base64');
  }
  let text = lines.join('\n');
  if (p.damage.some((d) => d.kind === 'crlf')) text = text.replace(/\n/g, '\r\n');
  const decodable = p.encoding !== '8bit' && KNOWN.has(p.charset.toLowerCase()) && p.type.startsWith('text/') && p.depth <= 8 && p.damage.length === 0;
  return { text, plain: plainLines.join('\n'), decodable, plainStart: before.length, header };
}
