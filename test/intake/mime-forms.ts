// One patch text in three mail forms (8bit, base64 attachment, quoted-printable body), with the
// document line where each line of the patch starts in each form, so a test can say where a
// finding must land. The encoders are the test's own (Node's base64, a plain QP encoder that
// escapes tabs and `=` and breaks lines at 76 columns), independent of intake's decoders.

export interface MailForm {
  text: string;
  /** Document line (0-based) where line k of the patch starts in this form. */
  lineOf: (k: number) => number;
  /** Document line of the part's Content-Transfer-Encoding header (encoded forms). */
  header?: number;
}

const HEAD = ['From: A Developer <dev@example.org>', 'Subject: [PATCH] mm: a fix', 'Date: Fri, 10 Dec 2004 15:13:55 +0000', 'MIME-Version: 1.0'];

/** The patch as a plain 8bit mail body. */
export function eightBit(patch: string): MailForm {
  const head = [...HEAD, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', ''];
  return { text: [...head, patch].join('\n'), lineOf: (k) => head.length + k };
}

/** The patch as a base64 attachment after a short text part. */
export function base64Attachment(patch: string, name = 'fix.patch', type = 'text/x-patch'): MailForm {
  const b64 = Buffer.from(patch, 'utf8').toString('base64').match(/.{1,76}/g) ?? [];
  const head = [...HEAD, 'Content-Type: multipart/mixed; boundary="=-b0und4ry"', '', 'This is a multi-part message in MIME format.', '',
    '--=-b0und4ry', 'Content-Type: text/plain; charset=us-ascii', '', 'The fix is attached.', '',
    '--=-b0und4ry', `Content-Type: ${type}; name="${name}"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="${name}"`, ''];
  const header = head.length - 3;
  return { text: [...head, ...b64, '', '--=-b0und4ry--', ''].join('\n'), lineOf: () => header, header };
}

/** Encodes one line as quoted-printable lines of at most 76 columns (soft breaks end in `=`). */
function qpLine(line: string): string[] {
  const bytes = Buffer.from(line, 'utf8');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const last = i === bytes.length - 1;
    const lit = b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : b === 32 && !last ? ' ' : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (cur.length + lit.length > 75) { out.push(`${cur}=`); cur = ''; }
    cur += lit;
  }
  out.push(cur);
  return out;
}

/** The patch as a single-part quoted-printable body. */
export function quotedPrintable(patch: string): MailForm {
  const head = [...HEAD, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', ''];
  const body: string[] = [];
  const starts: number[] = [];
  for (const l of patch.split('\n')) {
    starts.push(head.length + body.length);
    body.push(...qpLine(l));
  }
  return { text: [...head, ...body].join('\n'), lineOf: (k) => starts[k]!, header: head.length - 2 };
}
