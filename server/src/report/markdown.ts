/**
 * Markdown from text the server did not write (patch lines, subjects, file names, hunk headers,
 * scenario titles and thread names): every piece goes through one of these, so none of it can
 * open a link, an image, HTML, emphasis or a code span of its own, or end the one it sits in.
 * Links are only ever built by the server from its own ids (`commandLink`).
 */

/**
 * Plain text inline: the characters that open markdown or HTML anywhere (\\ ` * _ [ ] < > | ~ &)
 * escaped, and those that do so only at the start of a block (# + - = > 1.) escaped there; line
 * breaks folded to spaces. Escaping no more than that keeps the text readable in clients that
 * show hover markdown as text (Neovim).
 */
export function mdText(text: string): string {
  return mdInline(text)
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * Inline code: the fence is one backtick longer than the longest run inside, so no backtick in the
 * text can close it; padded with a space each side (which CommonMark strips) when the text starts
 * or ends with a backtick.
 */
export function mdCode(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t === '') return '';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Text inside a line (after other text, or in a table cell, where no block can start). */
export function mdInline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** Text for a markdown table cell: `mdInline` (which escapes `|`, so no pipe can split the cell). */
export function mdCell(text: string): string {
  return mdInline(text.trim());
}

/** Code for a table cell: a pipe inside code still splits a GFM row, so it is escaped there too. */
export function mdCodeCell(text: string): string {
  return mdCode(text).replace(/\|/g, '\\|');
}

/**
 * A `command:` URI for a command link. The arguments are JSON, percent-encoded, with the
 * characters encodeURIComponent leaves alone that end or break a markdown link ( `(` `)` `'` `!` `*`)
 * encoded as well.
 */
export function commandUri(command: string, args: unknown[]): string {
  const q = encodeURIComponent(JSON.stringify(args)).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${q}`;
}
