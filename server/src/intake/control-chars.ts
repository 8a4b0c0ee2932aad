/**
 * Text that comes from a patch or a workspace (a scenario's title, a file name, a message quoting
 * JSON) is printed to terminals and logs with its control characters escaped: an ESC sequence
 * must not recolour, move the cursor of, or retitle the user's terminal. C0 controls except tab,
 * DEL and C1 controls become `\xNN`; the Unicode line and paragraph separators and the
 * bidirectional overrides and isolates (which reorder what a reader sees) become `\u{NNNN}`.
 * A newline becomes a space, unless the caller keeps newlines (a scenario's doc paragraph).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `text` with control characters escaped and newlines turned into spaces (or kept). */
export function escapeControls(text: string, keepNewlines = false): string {
  const escaped = text.replace(CONTROL, escape);
  return keepNewlines ? escaped : escaped.replace(/\n/g, ' ');
}
