/**
 * Cutting a document to a size bound at a place where the prefix is itself a well-formed
 * document (a hunk, file or mail boundary). Shared by the language server's static-tier size
 * bound (lsp/static-bounds.ts, `kpr.static.maxSizeKb`) and the CLI's `--max-kb`.
 */

export interface Cut {
  /** The text to analyse: the whole document, or a prefix of it. */
  text: string;
  totalChars: number;
  /** Set when the text was cut: the first document line not analysed (0-based). */
  cutLine?: number;
}

/** Lines of a git extended header, between `diff --git` and `---`: a cut must not split them off. */
const GIT_HEADER = /^(diff |index |new file|deleted file|old mode|new mode|similarity|dissimilarity|rename |copy )/;

/**
 * Lines that may start the part left out: an mbox `From ` line, a `diff` header, a `--- ` line
 * that starts a file (a `+++ ` line follows, no git header precedes), or a hunk that is not its
 * file's first (cutting there would leave a file header without hunks behind).
 */
function startsPart(text: string, at: number): boolean {
  if (text.startsWith('diff ', at) || text.startsWith('From ', at)) return true;
  const prev = text.lastIndexOf('\n', at - 2) + 1;
  if (text.startsWith('--- ', at)) {
    const next = text.indexOf('\n', at) + 1;
    return next > 0 && text.startsWith('+++ ', next) && !GIT_HEADER.test(text.slice(prev, at));
  }
  return text.startsWith('@@ ', at) && !text.startsWith('+++ ', prev);
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/**
 * The prefix of `text` to analyse under a bound of `maxChars`. Looks back from the bound, as far
 * as half of it, for a line that starts a hunk, a file or a mail, and cuts before it; failing
 * that (one hunk larger than half the bound) it cuts at the last line break, where intake will
 * report the last hunk as cut off. Cost: one backward scan of at most half the bound.
 */
export function cutToBound(text: string, maxChars: number): Cut {
  const totalChars = text.length;
  if (totalChars <= maxChars) return { text, totalChars };
  const floor = Math.floor(maxChars / 2);
  let at = -1;
  for (let nl = text.lastIndexOf('\n', maxChars - 1); nl >= 0 && nl + 1 >= floor; nl = text.lastIndexOf('\n', nl - 1)) {
    if (startsPart(text, nl + 1)) {
      at = nl + 1;
      break;
    }
  }
  if (at <= 0) {
    const nl = text.lastIndexOf('\n', maxChars - 1);
    at = nl >= 0 ? nl + 1 : maxChars;
    // Never split a surrogate pair.
    const c = text.charCodeAt(at - 1);
    if (c >= 0xd800 && c <= 0xdbff) at--;
  }
  const prefix = text.slice(0, at);
  return { text: prefix, totalChars, cutLine: lineBreaks(prefix) };
}

