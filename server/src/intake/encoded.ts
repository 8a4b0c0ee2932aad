/**
 * Mail parts in base64 or quoted-printable (a patch sent as an attachment, or a mail body a
 * mailer encoded): found by the MIME walk (mime.ts), decoded (transfer.ts), and handed back as
 * decoded text for intake to read after the document's own lines. Each decoded part gets an
 * `information` note on its Content-Transfer-Encoding line saying what was decoded. A part that
 * cannot be decoded (bad base64, a charset kpr does not know, a multipart inside an encoding,
 * binary data, past the size bound) gets a warning with the reason and leaves the analysis
 * incomplete (`unread`: kpr check exits 3). A Content-Transfer-Encoding header the walk did not
 * reach (past its bounds, in a multipart without a boundary) is reported the same way, so an
 * encoded patch is never skipped in silence.
 */
import { lineProblem, walkMime, type EncodedPart } from './mime';
import { decodeBase64, decodeQuotedPrintable, type DecodedText } from './transfer';
import type { IntakeProblem, MailMessage } from './document';
import { appendAll } from '../arrays';

/** Decoded text kept per document, in bytes: larger parts are refused, not decoded. */
export const MAX_DECODED_BYTES = 32 * 1048576;

const ENCODING_RE = /^Content-Transfer-Encoding:[ \t]*(base64|quoted-printable)[ \t]*$/i;
/** Lines longer than this are not headers (keeps the fallback scan cheap on hostile input). */
const MAX_HEADER = 200;
/** Media types that are never a patch: a binary part of these types is noted, not a warning. */
const NOT_TEXT_RE = /^(?:image|audio|video|font)\//;

export interface DecodedPartText {
  part: EncodedPart;
  text: DecodedText;
}

/** How a part is named in messages: `attachment fix.patch`, `the base64 body`. */
export function partLabel(p: { name?: string; encoding: string; message: number }): string {
  return p.name !== undefined ? `attachment ${JSON.stringify(p.name).slice(1, -1)}` : `the ${p.encoding} part`;
}

/** Decodes every encoded part of the messages; problems say what was decoded and what was not. */
export function decodeParts(lines: readonly string[], messages: readonly MailMessage[]): { decoded: DecodedPartText[]; problems: IntakeProblem[] } {
  const walk = walkMime(lines, messages);
  const problems = walk.problems;
  const decoded: DecodedPartText[] = [];
  let budget = MAX_DECODED_BYTES;
  for (const part of walk.parts) {
    const body = lines.slice(part.from, Math.max(part.from, part.to + 1));
    const r = part.encoding === 'base64'
      ? decodeBase64(body, part.charset, budget)
      : decodeQuotedPrintable(body, part.from, part.charset, budget);
    const label = part.name !== undefined ? `${partLabel(part)} (${part.encoding})` : partLabel(part);
    if (!r.ok) {
      const p = lineProblem(lines, part.header, `${label} is not decoded: ${r.why}. A patch inside it is not checked.`, true);
      if (r.bodyLine !== undefined) p.namedLine = { line: part.from + r.bodyLine };
      problems.push(p);
      continue;
    }
    if (r.text.lines.some((l) => l.includes('\u0000'))) {
      const harmless = NOT_TEXT_RE.test(part.contentType);
      problems.push(lineProblem(lines, part.header,
        `${partLabel(part)} (${part.contentType}, ${part.encoding}) decodes to binary data, not text: kpr does not read it${harmless ? '' : '; a patch inside it is not checked'}.`, !harmless, harmless ? 'information' : 'warning'));
      continue;
    }
    budget -= r.bytes;
    decoded.push({ part, text: r.text });
    const nested = r.text.lines.findIndex((l) => l.length <= MAX_HEADER && ENCODING_RE.test(l));
    if (nested >= 0) {
      const p = lineProblem(lines, part.header,
        `${label} holds another encoded part: kpr does not decode encodings inside encodings, so a patch inside it is not checked.`, true);
      p.namedLine = { line: nested, part: partLabel(part) };
      problems.push(p);
    }
    const where = part.encoding === 'base64'
      ? 'findings in it are shown on this line with their decoded line number'
      : 'findings in it are shown on its own encoded lines';
    problems.push(lineProblem(lines, part.header,
      `decoded ${partLabel(part)} (${part.encoding}, ${part.contentType}, ${part.charset}): ${r.text.lines.length} lines checked; ${where}.`, false, 'information'));
  }
  // Lines of a decoded body are encoded text: what they decode to was checked above.
  for (const d of decoded) for (let i = d.part.from; i <= d.part.to; i++) walk.seen.add(i);
  appendAll(problems, unwalked(lines, messages, walk.seen));
  return { decoded, problems };
}

/** Content-Transfer-Encoding headers of an encoding that the MIME walk did not reach. */
function unwalked(lines: readonly string[], messages: readonly MailMessage[], seen: ReadonlySet<number>): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  for (const m of messages) {
    for (let i = m.range.start.line; i <= m.range.end.line; i++) {
      const s = lines[i]!;
      if (s.length > MAX_HEADER || (s.charCodeAt(0) | 0x20) !== 0x63 /* c or C */ || seen.has(i)) continue;
      const e = ENCODING_RE.exec(s);
      if (!e) continue;
      problems.push(lineProblem(lines, i,
        `this mail part is ${e[1]!.toLowerCase()}-encoded but is not where a MIME part starts (no multipart boundary leads to it, or past the MIME bounds): kpr does not decode it, so a patch inside it is not checked. Save the attachment and check that file.`, true));
    }
  }
  return problems;
}
