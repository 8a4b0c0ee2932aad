/**
 * Function bodies recovered from a document: the pre and post side of every function a hunk
 * touches, the function pasted into a mail, and library bodies they are spliced into.
 */
import type { Range } from '../intake/document';

/** How the pre side was obtained (DESIGN section 10). */
export type PreOrigin = 'patch' | 'library' | 'fragment' | 'none';
/** How the post side was obtained (DESIGN section 10). */
export type PostOrigin = 'patch' | 'spliced' | 'fragment' | 'present' | 'none';

/**
 * C text assembled from document lines, with a map from each of its lines back to the document.
 * `map[i]` says where column 0 of C line i lies in the document (`line`, `character`); library
 * text uses `line: -1` for lines that are not in the document.
 */
export interface CText {
  text: string;
  map: { line: number; character: number }[];
  /** Where this text comes from: the analysed document, or a model library file. */
  source: { kind: 'document' } | { kind: 'library'; file: string };
  /**
   * C line indexes (ascending, never 0) where a run of lines starts after lines of the file that
   * the text does not show (a gap between two hunks of one function). Absent: no gap.
   */
  segments?: number[];
  /**
   * Per C line, where it comes from when the text mixes document and library lines (a body
   * spliced into the library, DESIGN section 4 step 2): 'document' means `map[i]` holds its
   * document position; otherwise the library file (`2.6.10/filemap.c`) and its 0-based line
   * there (`map[i].line` is -1 for such lines). Absent: every line comes from `source`.
   */
  origin?: LineOrigin[];
}

/** Where one line of a spliced CText comes from (see `CText.origin`). */
export type LineOrigin = 'document' | { file: string; line: number };

/**
 * How one hunk found its place in a function (DESIGN sections 4 and 10): `whole` when the patch
 * holds the whole definition; `exact` / `aligned` when its statements were placed into the era
 * library's body (`matched` of `context` pre-image statements found their counterpart);
 * `not-placed` when they could not be (`why`: the first statement without a counterpart); and
 * `fragment` when there is nothing to place it into (`why`: no era, or the library lacks the
 * function). One `not-placed` hunk leaves the function's sides `fragment`.
 */
export interface HunkPlacement {
  placement: 'exact' | 'aligned' | 'not-placed' | 'whole' | 'fragment';
  matched?: number;
  context?: number;
  why?: string;
  /** The document position of the line `why` names (0-based); the surfaces show it as a line number. */
  whyAt?: { line: number; character: number };
}

export interface FunctionSide {
  c: CText;
  /** True when the text holds the whole definition, from its signature to its closing brace. */
  whole: boolean;
}

export interface PatchFunction {
  name: string;
  /** The file the hunk changes, e.g. `mm/truncate.c`; empty for code pasted into a mail. */
  file: string;
  /** Index of the mail this function belongs to in an mbox series, -1 outside mails. */
  message: number;
  pre?: FunctionSide;
  post?: FunctionSide;
  /**
   * `library` / `spliced` mean every hunk of the function was placed into the era library's body
   * (the interface the verdict reads: only then does the model run the patch's code); `fragment`
   * means some hunk was not placed, or there was no library body to place it into.
   */
  preOrigin: PreOrigin;
  postOrigin: PostOrigin;
  /** Library era chosen for this function, when one matched. */
  era?: string;
  /** Indexes of (file, hunk) pairs that touch this function, and how each was placed. */
  hunks: { file: number; hunk: number; placement?: HunkPlacement }[];
  /** Document range covering the function's lines in the document. */
  range: Range;
}
