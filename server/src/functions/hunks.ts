/**
 * Per hunk of a document: the function it changes and how it was placed (DESIGN section 10,
 * `files[].hunks[].function` and `placement`), for the JSON report, hover and text output.
 *
 * A hunk that changes code belongs to the function extract.ts gave it to (the one holding its
 * first changed line when several share it). A hunk that changes only comments belongs to the
 * function whose leading comment it edits: the first definition the hunk shows after its last
 * changed line. Limits: a comment-only hunk that stops before the signature below it, and a hunk
 * that changes declarations outside functions, name no function; those and hunks in files that
 * are not C carry no placement (nothing of them runs in the model).
 */
import type { PatchDocument } from '../intake/types';
import { findPieces, type SideLine } from './pieces';
import type { HunkPlacement, PatchFunction } from './types';

export interface HunkOwner {
  function?: string;
  placement?: HunkPlacement;
}

/** `owners[file][hunk]` for every hunk of the document. */
export function hunkOwners(doc: PatchDocument, functions: readonly PatchFunction[]): HunkOwner[][] {
  return doc.files.map((f, fi) => f.hunks.map((h, hi) => {
    const mine = functions.filter((fn) => fn.hunks.some((e) => e.file === fi && e.hunk === hi));
    const firstChanged = h.lines.find((l) => l.kind !== ' ')?.line ?? h.line;
    const fn = mine.find((x) => x.range.start.line <= firstChanged && firstChanged <= x.range.end.line) ?? mine[0];
    if (fn) {
      // A function nothing named and no library function took has no name to give.
      const owner: HunkOwner = fn.name === '' ? {} : { function: fn.name };
      const placement = fn.hunks.find((e) => e.file === fi && e.hunk === hi)?.placement;
      if (placement) owner.placement = placement;
      return owner;
    }
    const post: SideLine[] = h.lines.filter((l) => l.kind !== '-').map((l) => ({ text: l.text, line: l.line, character: 1, changed: l.kind === '+' }));
    const lastChanged = post.map((l) => l.changed).lastIndexOf(true);
    const below = findPieces(post).find((p) => p.name !== undefined && !p.startsOpen && p.first > lastChanged);
    return below?.name !== undefined && lastChanged >= 0 ? { function: below.name } : {};
  }));
}
