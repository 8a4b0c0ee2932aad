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
import type { PatchDocument } from '../intake/document';
import { findPieces, type SideLine } from './pieces';
import type { HunkPlacement, PatchFunction } from './patch-function';

export interface HunkOwner {
  function?: string;
  placement?: HunkPlacement;
}

/** `owners[file][hunk]` for every hunk of the document. */
export function hunkOwners(doc: PatchDocument, functions: readonly PatchFunction[]): HunkOwner[][] {
  // Functions by the hunks they hold, in document order: filtering every function per hunk was
  // quadratic (a 3 MB patch of 15,000 one-function hunks spent 5 s here).
  const byHunk = new Map<string, PatchFunction[]>();
  for (const fn of functions) {
    for (const e of fn.hunks) {
      const key = `${e.file}:${e.hunk}`;
      const list = byHunk.get(key);
      if (!list) byHunk.set(key, [fn]);
      else if (list[list.length - 1] !== fn) list.push(fn);
    }
  }
  return doc.files.map((f, fi) => f.hunks.map((h, hi) => {
    const mine = byHunk.get(`${fi}:${hi}`) ?? [];
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

/**
 * What a hunk's placement is counted as: its placement word; `comment` when it changes only the
 * comment above a function (nothing of it runs); `none` when it lies outside every function.
 */
export const PLACEMENT_KINDS = ['exact', 'aligned', 'not-placed', 'whole', 'fragment', 'comment', 'none'] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];
const KIND_WORDS: Record<PlacementKind, string> = { exact: 'exact', aligned: 'aligned', 'not-placed': 'not placed', whole: 'whole', fragment: 'fragment', comment: 'comment only', none: 'outside functions' };

export function placementKind(o: HunkOwner): PlacementKind {
  return o.placement?.placement ?? (o.function !== undefined ? 'comment' : 'none');
}

/** Hunks per kind, in PLACEMENT_KINDS order, leaving out the kinds no hunk has: "2 exact, 1 not placed". */
export function placementCounts(owners: readonly HunkOwner[]): string {
  const n = (k: PlacementKind) => owners.filter((o) => placementKind(o) === k).length;
  return PLACEMENT_KINDS.filter((k) => n(k) > 0).map((k) => `${n(k)} ${KIND_WORDS[k]}`).join(', ');
}

/** One hunk's placement in words, as the hover on its `@@` line and the text output say it; `why` as the surface words it (with its line: report/finding-message.ts `placementWhy`). */
export function placementWords(p: HunkPlacement, why: string | undefined = p.why): string {
  switch (p.placement) {
    case 'exact': return 'exact: every statement of its pre-image matched the library body, with nothing between';
    case 'aligned': {
      const k = p.matched ?? 0;
      const n = p.context ?? 0;
      // All matched, yet not exact: worded otherwise (casts, braces), or with library statements
      // between them that the hunk does not show (splice.ts).
      const between = k === n ? ', though not word for word or not one after another' : '';
      return `aligned: ${k} of ${n} context statements matched the library body${between}`;
    }
    case 'whole': return 'whole: the patch holds the whole definition';
    case 'not-placed': return `not placed: ${why ?? 'no counterpart in the library body'}`;
    case 'fragment': return `not placed: ${why ?? 'no library body to place it into'}`;
  }
}
