/**
 * Text that comes from a workspace (a scenario's title, a file name, a message quoting JSON) is
 * printed to terminals and logs with its control characters escaped: an ESC sequence in a
 * scenario title must not recolour, move the cursor of, or retitle the user's terminal.
 * C0 controls except tab, DEL, C1 controls, and the Unicode line/paragraph separators and
 * bidirectional overrides (which reorder what a reader sees) become `\u{…}` escapes; newlines
 * are kept only where the caller allows them.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  return `\\u{${c.charCodeAt(0).toString(16)}}`;
}

/** `text` with control characters escaped; newlines too unless `keepNewlines`. */
export function escapeControl(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROL : CONTROL_OR_NEWLINE, escape);
}
