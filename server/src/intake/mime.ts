/**
 * MIME structure of a mail (RFC 2045/2046): which parts of a message hold their text in a
 * transfer encoding (base64, quoted-printable), with the document lines of their headers and
 * bodies. multipart/* bodies are split on their boundary lines, message/rfc822 parts are read as
 * a message; parts in 7bit/8bit/binary are left to be read in place. Bounded: nesting deeper than
 * MAX_DEPTH and parts past MAX_PARTS are not walked (encoded.ts reports any encoded header they
 * hold). Each level scans only its own lines, so the cost is at most MAX_DEPTH passes over a message.
 */
import { readHeaders } from './mail';
import type { IntakeProblem, MailHeader, MailMessage } from './document';

export const MAX_DEPTH = 8;
export const MAX_PARTS = 1000;

/** A leaf part whose body is transfer-encoded. */
export interface EncodedPart {
  message: number;
  encoding: 'base64' | 'quoted-printable';
  /** Document line of its Content-Transfer-Encoding header. */
  header: number;
  /** Lower-case `type/subtype`; text/plain when the part does not say. */
  contentType: string;
  charset: string;
  /** The attachment's file name, when its headers give one. */
  name?: string;
  /** First and last document line of the body (`to < from`: empty). */
  from: number;
  to: number;
}

interface Entity {
  headers: MailHeader[];
  from: number;
  to: number;
  depth: number;
  /** The line that opened the entity (boundary line or message start): where problems about it sit. */
  at: number;
}

export interface MimeWalk {
  parts: EncodedPart[];
  problems: IntakeProblem[];
  /** Document lines of every Content-Transfer-Encoding header the walk read. */
  seen: Set<number>;
}

const header = (hs: readonly MailHeader[], name: string): MailHeader | undefined => hs.find((h) => h.name.toLowerCase() === name);

/** A `; name=value` or `; name="value"` parameter of a header value. */
export function param(value: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** A problem on the whole of `line`; `unread`: the analysis is incomplete because of it. */
export function lineProblem(lines: readonly string[], line: number, message: string, unread: boolean, severity: IntakeProblem['severity'] = 'warning'): IntakeProblem {
  const p: IntakeProblem = { severity, message, range: { start: { line, character: 0 }, end: { line, character: (lines[line] ?? '').length } } };
  if (unread) p.unread = true;
  return p;
}

/** Splits a multipart body [from, to] on its boundary into entities (headers read, bodies located). */
function splitMultipart(lines: readonly string[], e: Entity, boundary: string): Entity[] {
  const open = `--${boundary}`;
  const close = `--${boundary}--`;
  const out: Entity[] = [];
  let start = -1; // line after the current delimiter
  for (let i = e.from; i <= e.to + 1; i++) {
    const s = i <= e.to ? lines[i]! : close;
    if (!s.startsWith(open)) continue;
    const t = s.trimEnd();
    if (t !== open && t !== close) continue;
    if (start >= 0) {
      const { headers, next } = readHeaders(lines, start, i);
      let body = next < i && lines[next]!.trim() === '' ? next + 1 : next;
      if (headers.length === 0) body = start < i && lines[start]!.trim() === '' ? start + 1 : start;
      // The line end before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
      let last = i - 1;
      if (last >= body && lines[last]!.trim() === '') last--;
      out.push({ headers, from: body, to: last, depth: e.depth + 1, at: start - 1 });
    }
    if (t === close) break;
    start = i + 1;
  }
  return out;
}

/** The encoded parts of every message, walking multiparts iteratively, bounded. */
export function walkMime(lines: readonly string[], messages: readonly MailMessage[]): MimeWalk {
  const walk: MimeWalk = { parts: [], problems: [], seen: new Set() };
  let count = 0;
  messages.forEach((m, k) => {
    const stack: Entity[] = [{ headers: m.headers ?? [], from: m.bodyLine, to: m.range.end.line, depth: 0, at: m.range.start.line }];
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (e.depth > 0 && ++count > MAX_PARTS) {
        walk.problems.push(lineProblem(lines, e.at, `more than ${MAX_PARTS} MIME parts: the parts from here on are not read`, false));
        return;
      }
      const ct = header(e.headers, 'content-type')?.value ?? '';
      const type = (ct.split(';')[0] ?? '').trim().toLowerCase() || 'text/plain';
      const cte = header(e.headers, 'content-transfer-encoding');
      const encoding = (cte?.value ?? '7bit').trim().toLowerCase();
      if (cte) walk.seen.add(cte.range.start.line);
      const encoded = encoding === 'base64' || encoding === 'quoted-printable';
      const container = type.startsWith('multipart/') || type === 'message/rfc822';
      if (container && e.depth >= MAX_DEPTH) {
        walk.problems.push(lineProblem(lines, e.at, `MIME parts nested deeper than ${MAX_DEPTH} levels: the parts inside are not read`, false));
        continue;
      }
      if (container && encoded) {
        walk.problems.push(lineProblem(lines, cte!.range.start.line, `a ${type} part in ${encoding} (not allowed by RFC 2045): kpr does not decode it, so a patch inside it is not checked`, true));
        continue;
      }
      if (type.startsWith('multipart/')) {
        const boundary = param(ct, 'boundary');
        // Without a boundary the parts cannot be told apart; their lines are still read in place.
        if (boundary) for (const c of splitMultipart(lines, e, boundary).reverse()) stack.push(c);
        continue;
      }
      if (type === 'message/rfc822') {
        const { headers, next } = readHeaders(lines, e.from, e.to + 1);
        const body = next <= e.to && lines[next]!.trim() === '' ? next + 1 : next;
        stack.push({ headers, from: body, to: e.to, depth: e.depth + 1, at: e.from });
        continue;
      }
      if (!encoded) continue;
      const disposition = header(e.headers, 'content-disposition')?.value ?? '';
      const name = param(disposition, 'filename') ?? param(ct, 'name');
      const part: EncodedPart = {
        message: k, encoding: encoding as EncodedPart['encoding'], header: cte!.range.start.line,
        contentType: type, charset: param(ct, 'charset') ?? 'us-ascii', from: e.from, to: e.to,
      };
      if (name !== undefined) part.name = name;
      walk.parts.push(part);
    }
  });
  return walk;
}
