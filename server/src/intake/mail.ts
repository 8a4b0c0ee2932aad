/**
 * Mail structure: splits an mbox into messages on `From ` postmark lines and reads each message's
 * header block (RFC 5322 `Name: value`, folded continuation lines unfolded). Without postmarks,
 * a header block near the top of the document makes it one mail; it may follow blank lines and a
 * bare subject line such as `Re: [PATCH] ...` or `[PATCH] ...` (archives and quilt series drop the
 * `Subject:` name). Limits: MIME parts and RFC 2047 encoded words are not decoded (an encoded
 * part is reported, encoded.ts).
 */
import { linesSpan } from './lines';
import type { MailHeader, MailMessage } from './document';

const HEADER_RE = /^([A-Za-z][A-Za-z0-9-]{0,40}):(?:[ \t]|$)/;
/** An mbox postmark: `From <sender> <date...>`; the date part holds at least one digit. */
const POSTMARK_RE = /^From \S+ .*\d/;
/** A bare subject line: a reply or a patch tag at the top of an archived mail. */
const SUBJECT_LINE_RE = /^(?:(?:Re|Fwd?|Aw)\s*:\s*\S|\[(?:PATCH|RFC|GIT PULL)[^\]]*\]\s*\S)/i;
/** Headers that make a leading header block a mail (any header counts after a postmark). */
const MAIL_HEADERS = new Set(['from', 'subject', 'date', 'to', 'cc', 'message-id', 'in-reply-to']);

const isBlank = (s: string | undefined): boolean => s !== undefined && s.trim() === '';

export function isHeaderLine(s: string): boolean {
  return s.length < 2000 && HEADER_RE.test(s);
}

/** True for a line that starts a new message of an mbox. */
export function isPostmark(lines: readonly string[], i: number): boolean {
  const s = lines[i]!;
  return s.startsWith('From ') && s.length < 300 && POSTMARK_RE.test(s) && isHeaderLine(lines[i + 1] ?? '');
}

interface HeaderBlock {
  headers: MailHeader[];
  /** First line of the block (subject line or first header). */
  first: number;
  bodyLine: number;
}

/** Reads `Name: value` headers from line `i` up to `end` (exclusive); stops at a blank line. */
export function readHeaders(lines: readonly string[], i: number, end: number): { headers: MailHeader[]; next: number } {
  const headers: MailHeader[] = [];
  while (i < end) {
    const s = lines[i]!;
    const m = HEADER_RE.exec(s);
    if (!m || s.length >= 2000) break;
    let value = s.slice(m[0].length).trim();
    let last = i;
    // Folded header: continuation lines start with white space.
    while (last + 1 < end && /^[ \t]+\S/.test(lines[last + 1]!)) {
      last++;
      value += ' ' + lines[last]!.trim();
    }
    headers.push({ name: m[1]!, value: value.trim(), range: linesSpan(lines, i, last) });
    i = last + 1;
  }
  return { headers, next: i };
}

/** Body starts after the blank line that ends the headers (or right away when there is none). */
function bodyAfter(lines: readonly string[], next: number, end: number): number {
  return next < end && isBlank(lines[next]) ? next + 1 : next;
}

/** Header block of a message that follows an mbox postmark at line `post`. */
function postmarkBlock(lines: readonly string[], post: number, end: number): HeaderBlock {
  const { headers, next } = readHeaders(lines, post + 1, end);
  return { headers, first: post, bodyLine: bodyAfter(lines, next, end) };
}

/** Header block at the top of a document without postmarks, or undefined when there is none. */
function leadingBlock(lines: readonly string[], end: number): HeaderBlock | undefined {
  let i = 0;
  while (i < end && isBlank(lines[i])) i++;
  if (i >= end) return undefined;
  let subject: MailHeader | undefined;
  const first = i;
  const top = lines[i]!;
  if (top.length < 1000 && SUBJECT_LINE_RE.test(top) && !/^Subject:/i.test(top)) {
    subject = { name: 'Subject', value: top.trim(), range: linesSpan(lines, i, i) };
    i++;
    // A bare subject line is a mail header only if a blank line or a header block follows it.
    if (i < end && !isBlank(lines[i]) && !isHeaderLine(lines[i]!)) return undefined;
    while (i < end && isBlank(lines[i])) i++;
  }
  const { headers, next } = readHeaders(lines, i, end);
  const known = headers.some((h) => MAIL_HEADERS.has(h.name.toLowerCase()));
  if (headers.length > 0 && known) {
    if (subject && !headers.some((h) => h.name.toLowerCase() === 'subject')) headers.unshift(subject);
    return { headers, first, bodyLine: bodyAfter(lines, next, end) };
  }
  if (subject) return { headers: [subject], first, bodyLine: bodyAfter(lines, first + 1, end) };
  return undefined;
}

function toMessage(lines: readonly string[], block: HeaderBlock, last: number): MailMessage {
  const get = (name: string): string | undefined =>
    block.headers.find((h) => h.name.toLowerCase() === name)?.value;
  const msg: MailMessage = {
    range: linesSpan(lines, block.first, last),
    bodyLine: Math.min(block.bodyLine, last + 1),
    headers: block.headers,
  };
  const subject = get('subject');
  const from = get('from');
  const date = get('date');
  if (subject !== undefined) msg.subject = subject;
  if (from !== undefined) msg.from = from;
  if (date !== undefined) msg.date = date;
  return msg;
}

/** Finds the messages of a document: one per mbox postmark, or one leading header block, or none. */
export function findMessages(lines: readonly string[]): MailMessage[] {
  const n = lines.length;
  const posts: number[] = [];
  for (let i = 0; i < n; i++) {
    // Cheap first-character test keeps this linear scan fast on huge patches.
    if (lines[i]!.charCodeAt(0) === 70 /* F */ && isPostmark(lines, i)) posts.push(i);
  }
  if (posts.length > 0) {
    return posts.map((p, k) => {
      const end = k + 1 < posts.length ? posts[k + 1]! : n;
      return toMessage(lines, postmarkBlock(lines, p, end), end - 1);
    });
  }
  const block = leadingBlock(lines, n);
  return block ? [toMessage(lines, block, n - 1)] : [];
}
