/**
 * A layer's diffs (README.md, "Layers written as diffs"): a later release states a function it
 * changed as a unified diff against the function the earlier era ran, the way the kernel's own
 * changelog states a release's change. The file is `<layer>/<name>.c.patch`: any prose first (the
 * why, as in a mail), then `---`/`+++` headers and hunks read by the project's own patch reader.
 *
 * Each hunk lies inside one function, which its `@@` trailer names (`@@ -12,7 +12,9 @@ static int
 * invalidate_complete_page(...)`: the identifier before the first `(`, or the trailer alone).
 * The result defines whatever name its text defines: a diff that renames states a new function
 * derived from an earlier one, which then stays as it was unless the layer changes it too.
 * Its line numbers count the lines of that function's text in the earlier era, its first line
 * (the return type) being line 1, since an era's functions come from several layers and no whole
 * file of the earlier era exists to count in.
 *
 * Applying is strict, as `patch --fuzz=0` without offsets: every context and `-` line must be the
 * earlier text's line at exactly the stated place, hunks of one function in order and apart, and
 * the reader must have had no leniency to grant (a trimmed blank context line is an error here).
 * A diff that does not apply is a load error naming the layer file, the function and the hunk;
 * the function is then left out of that era rather than run as a text the release never had.
 *
 * Every line of the result keeps its origin: an unchanged line the file and line it came from in
 * an earlier layer, an added line this diff file's own line (the `+` line), so traces and Open
 * Model Source point at the layer that wrote each statement.
 */
import { parseDocument } from '../../intake/parse';
import type { Hunk } from '../../intake/document';

/** Where one line of a composed function comes from: a layer file (`.c` or `.c.patch`) and its 0-based line. */
export interface LineSource {
  file: string;
  line: number;
}

/** A function's text with one origin per line (the text's lines without its final newline). */
export interface ComposedText {
  text: string;
  origin: LineSource[];
}

/** One function's change in a layer diff: the earlier function its hunks name, and the hunks. */
export interface FunctionDiff {
  source: string;
  hunks: Hunk[];
}

/** The function changes of one layer diff file, in file order, and what could not be read. */
export interface LayerDiff {
  file: string;
  changes: FunctionDiff[];
  errors: string[];
}

/** The function a hunk's `@@` trailer names: the identifier before its first `(`, or the trailer alone. */
export function trailerFunction(section: string): string | undefined {
  const s = section.trim();
  const call = /([A-Za-z_]\w*)\s*\(/.exec(s);
  if (call) return call[1];
  return /^[A-Za-z_]\w*$/.test(s) ? s : undefined;
}

const header = (h: Hunk) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;

/** Reads one layer diff file (`file` is `<layer>/<name>.c.patch`). Never throws. */
export function readLayerDiff(file: string, text: string): LayerDiff {
  const doc = parseDocument(text, file);
  // Messages name places by their text (a line, a hunk's @@ header), not by a line number.
  const errors = doc.problems.map((p) => `${file}: ${p.message}, at \`${doc.lines[p.range.start.line] ?? ''}\``);
  const changes: FunctionDiff[] = [];
  if (doc.files.length === 0) errors.push(`${file}: no diff in the file`);
  // One change per function per file section: a second section may name the same function again
  // to derive another one from it (2.6.19's invalidate_complete_page2 from invalidate_complete_page).
  for (const f of doc.files) {
    const inSection = new Map<string, FunctionDiff>();
    for (const h of f.hunks) {
      const name = trailerFunction(h.section);
      if (!name) { errors.push(`${file}: ${header(h)}${h.section} names no function after its @@`); continue; }
      let change = inSection.get(name);
      if (!change) { change = { source: name, hunks: [] }; inSection.set(name, change); changes.push(change); }
      change.hunks.push(h);
    }
  }
  return { file, changes, errors };
}

/**
 * Applies one function's hunks (from `file`) to its earlier text. Returns the composed text, or
 * the first mismatch as a load error naming the file, the function and the hunk.
 */
export function applyFunctionDiff(file: string, name: string, earlier: ComposedText, hunks: readonly Hunk[]): ComposedText | { error: string } {
  const old = earlier.text.replace(/\n$/, '').split('\n');
  const lines: string[] = [];
  const origin: LineSource[] = [];
  let at = 0; // next old line (0-based) not yet copied
  const copyTo = (end: number) => {
    for (; at < end; at++) { lines.push(old[at]!); origin.push(earlier.origin[at]!); }
  };
  for (let k = 0; k < hunks.length; k++) {
    const h = hunks[k]!;
    const where = `${file}: ${name}(), hunk ${header(h)}`;
    // An insertion-only hunk names the line after which it inserts.
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    if (start < at) return { error: `${where}: starts before the end of the hunk before it` };
    if (start + h.oldLines > old.length) return { error: `${where}: reaches past the end of the earlier ${name}() (${old.length} lines)` };
    copyTo(start);
    for (const l of h.lines) {
      if (l.kind === '+') { lines.push(l.text); origin.push({ file, line: l.line }); continue; }
      const was = old[at];
      if (was !== l.text) return { error: `${where}: its line ${l.oldLine} of the earlier ${name}() is \`${was?.trim()}\`, the hunk expects \`${l.text.trim()}\`` };
      if (l.kind === ' ') { lines.push(was); origin.push(earlier.origin[at]!); }
      at++;
    }
  }
  copyTo(old.length);
  return { text: lines.join('\n') + '\n', origin };
}
