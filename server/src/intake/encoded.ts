/**
 * Mail parts kpr cannot read: a part (or a whole mail) whose Content-Transfer-Encoding is base64
 * or quoted-printable holds its text encoded, so a patch sent as such an attachment has no diff
 * lines intake can see. kpr does not decode it yet (the decoded text would have no place in the
 * document to put findings on); instead each such part gets a warning that says the document is
 * not wholly checked, and analyze() marks the analysis incomplete (kpr check exits 3, never a
 * silent 0). Limits: only headers at the start of a line inside a mail are seen; an encoded part
 * that holds no patch is reported too, since kpr cannot tell without decoding it.
 */
import type { IntakeProblem, MailMessage } from './document';

const ENCODING_RE = /^Content-Transfer-Encoding:[ \t]*(base64|quoted-printable)[ \t]*$/i;

/** Lines of `lines` longer than this are not headers (keeps the scan cheap on hostile input). */
const MAX_HEADER = 200;

export function encodedParts(lines: readonly string[], messages: readonly MailMessage[]): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  for (const m of messages) {
    for (let i = m.range.start.line; i <= m.range.end.line; i++) {
      const s = lines[i]!;
      if (s.length > MAX_HEADER || (s.charCodeAt(0) | 0x20) !== 0x63 /* c or C */) continue;
      const e = ENCODING_RE.exec(s);
      if (!e) continue;
      const encoding = e[1]!.toLowerCase();
      problems.push({
        severity: 'warning',
        range: { start: { line: i, character: 0 }, end: { line: i, character: s.length } },
        message: `this mail part is ${encoding}-encoded and kpr does not decode attachments: a patch inside it is not checked. Save the attachment and check that file.`,
        unread: true,
      });
    }
  }
  return problems;
}
