/** Fast position queries on a parsed document (hover, code lenses): binary searches, no scans. */
import type { PatchDocument } from './document';

/** Which file and hunk document line `line` belongs to (the `@@` line included), if any. */
export function hunkAt(doc: PatchDocument, line: number): { file: number; hunk: number } | undefined {
  const files = doc.files;
  let lo = 0;
  let hi = files.length - 1;
  let f = -1;
  // Files are in document order and do not overlap: find the last one starting at or before line.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (files[mid]!.range.start.line <= line) { f = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (f < 0) return undefined;
  const hunks = files[f]!.hunks;
  lo = 0;
  hi = hunks.length - 1;
  let h = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (hunks[mid]!.range.start.line <= line) { h = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (h < 0 || hunks[h]!.range.end.line < line) return undefined;
  return { file: f, hunk: h };
}
