/**
 * The document model produced by intake: what a patch, mail, mbox or prose file holds, with the
 * exact position of every piece. Positions are 0-based lines and UTF-16 columns of the analysed
 * document (the LSP convention); the JSON report adds 1 to lines.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type DocumentKind = 'patch' | 'mail' | 'mbox' | 'prose';

/**
 * A line a message is about, kept as data (0-based) for the surfaces to word
 * (report/finding-message.ts `withNamedLine`), since the engine writes no line numbers into
 * messages: a line of the document, or, with `part`, a line of a decoded base64 mail part, which
 * has no document position of its own (`part` is the part's label: `attachment fix.patch`).
 */
export interface NamedLine {
  line: number;
  part?: string;
}

/** A place a finding or a problem points to beside its own, with what happens there. */
export interface RelatedPlace {
  message: string;
  range: Range;
  namedLine?: NamedLine;
}

/** A problem that intake met; it becomes a `patch-syntax` finding. Intake never throws. */
export interface IntakeProblem {
  message: string;
  range: Range;
  /** `information`: the text was read leniently, as patch(1) would, and nothing is wrong with it. */
  severity: 'error' | 'warning' | 'information';
  related?: RelatedPlace[];
  /** Part of the document could not be read (an encoded attachment): the analysis is incomplete. */
  unread?: true;
  /** A line the message is about, other than where it sits. */
  namedLine?: NamedLine;
}

/** One header of a mail, unfolded; `range` covers its first line through its last continuation line. */
export interface MailHeader {
  /** Header name as written (`Subject`); a leading subject line without a name is given `Subject`. */
  name: string;
  /** Value with continuation lines joined by single spaces. */
  value: string;
  range: Range;
}

/** One mail of a document (a `git format-patch` mail, one message of an mbox, a reply). */
export interface MailMessage {
  subject?: string;
  from?: string;
  date?: string;
  /** The whole message, headers included. */
  range: Range;
  /** First line of the body (after the blank line ending the headers). */
  bodyLine: number;
  /** Every header of the message in document order, with its position (additive, optional). */
  headers?: MailHeader[];
}

export type HunkLineKind = ' ' | '-' | '+';

export interface HunkLine {
  kind: HunkLineKind;
  /** The line's text without its diff marker. */
  text: string;
  /** Document line. */
  line: number;
  /** Line number in the old file (context and '-' lines). */
  oldLine?: number;
  /** Line number in the new file (context and '+' lines). */
  newLine?: number;
  /** A `\ No newline at end of file` marker followed this line. */
  noNewline?: boolean;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Document line of the `@@` header. */
  line: number;
  /** Text after the closing `@@` (a `diff -p` function hint; not trusted for the function name). */
  section: string;
  lines: HunkLine[];
  /** Range from the `@@` line to the hunk's last line. */
  range: Range;
}

export interface FileDiff {
  /** Path with any `a/`, `b/`, `25/`, `25-akpm/` style prefix removed; null for /dev/null. */
  oldPath: string | null;
  newPath: string | null;
  /** Document line where the file section starts (`diff` line, or `---` line when there is none). */
  line: number;
  range: Range;
  hunks: Hunk[];
  /** Index into `PatchDocument.messages`, or -1 outside any mail. */
  message: number;
  binary?: boolean;
}

/** C code pasted into a mail that is not a diff (seed 001): quote markers removed. */
export interface CodeBlock {
  /** Each line's text with any `>` quoting removed, and where that text starts in the document. */
  lines: { text: string; line: number; character: number }[];
  range: Range;
  message: number;
}

export interface PatchDocument {
  /** Path or URI the text came from (for messages only). */
  path: string;
  kind: DocumentKind;
  /** Document lines without their line ends (CRLF, LF or CR). */
  lines: string[];
  messages: MailMessage[];
  files: FileDiff[];
  codeBlocks: CodeBlock[];
  problems: IntakeProblem[];
  /**
   * Mail parts decoded from base64 or quoted-printable. Their text is appended to `lines` after
   * the document's own lines, so the whole pipeline reads decoded lines like any other; positions
   * there are mapped back to the document (decoded-map.ts) before any surface shows them.
   * Absent when nothing was decoded.
   */
  decoded?: DecodedParts;
}

export interface DecodedParts {
  /** How many lines the document itself has: `lines` past this index are decoded text. */
  documentLines: number;
  parts: DecodedPart[];
}

/** One decoded part: where its decoded text lies in `PatchDocument.lines`, and where it came from. */
export interface DecodedPart {
  encoding: 'base64' | 'quoted-printable';
  /** Document line of the part's Content-Transfer-Encoding header: where base64 findings sit. */
  header: number;
  /** Lower-case `type/subtype` of the part. */
  contentType: string;
  charset: string;
  /** The attachment's file name, when its headers give one. */
  name?: string;
  /** Index of the mail in `messages`. */
  message: number;
  /** First line of the decoded text in `lines`, and how many lines it has. */
  first: number;
  count: number;
  /** First and last document line of the encoded body. */
  body: { from: number; to: number };
  /**
   * Quoted-printable only: per decoded line, flattened [character, document line, column]
   * breakpoints (see transfer.ts `DecodedText.origins`).
   */
  origins?: number[][];
}
