/**
 * The program one side of one message runs (DESIGN sections 5 and 8): the era library's functions,
 * lowered once per era per process, with the side's own bodies from the document as a later layer
 * (later layers win, so a patched function replaces its library twin).
 *
 * Which bodies a side contributes:
 * - pre: bodies that come from the patch or from the library splice (`preOrigin` patch/library);
 * - post: bodies from the patch, spliced into the library, or pasted into a mail (`present`).
 * Fragments never run: they are not whole functions, so the side keeps the library's twin.
 *
 * The era of a message is the one its functions chose (splicing sets it); failing that, the era
 * whose library text best matches the message's pre-image lines, among eras whose library has
 * the changed functions; mail code with no pre-image uses the function's own lines for that.
 * Needs `initAnalysis()` to have completed (lowering parses C).
 */
import type { CText, FunctionSide, PatchFunction } from '../functions/types';
import type { PatchDocument } from '../intake/types';
import { lowerFunction } from '../lower/lower';
import { isSignificant, libraryFunctions, librarySource, matchEra, normaliseLine } from '../model/library/index';
import { makeProgram, type Program, type ProgramFunction } from '../model/program';

export type Side = 'pre' | 'post';

const libraryCache = new Map<string, ProgramFunction[]>();

/** Every function of an era's library, lowered (once per process). */
export function libraryLayer(era: string): ProgramFunction[] {
  let fns = libraryCache.get(era);
  if (!fns) {
    fns = [];
    for (const [name, fn] of libraryFunctions(era)) {
      const lines = fn.text.split('\n');
      const c: CText = { text: fn.text, map: lines.map((_, i) => ({ line: fn.startLine + i, character: 0 })), source: { kind: 'library', file: fn.file } };
      const r = lowerFunction({ c, whole: true }, name);
      if (r.ir) fns.push({ ir: r.ir, source: 'model', file: fn.file, lines, lineBase: fn.startLine });
    }
    libraryCache.set(era, fns);
  }
  return fns;
}

/** The body a side runs for `fn`, if it has a runnable one. */
export function runnableSide(fn: PatchFunction, side: Side): FunctionSide | undefined {
  if (side === 'pre') return fn.preOrigin === 'patch' || fn.preOrigin === 'library' ? fn.pre : undefined;
  return fn.postOrigin === 'patch' || fn.postOrigin === 'spliced' || fn.postOrigin === 'present' ? fn.post : undefined;
}

/** The functions of one message (mbox index; -1 outside mails). */
export function messageFunctions(functions: readonly PatchFunction[], message: number): PatchFunction[] {
  return functions.filter((f) => f.message === message && f.name !== '');
}

/** Lines of the pre-image a message shows (context and removed lines of its hunks). */
function preImageLines(doc: PatchDocument, fns: readonly PatchFunction[]): string[] {
  const out: string[] = [];
  for (const fn of fns) {
    for (const { file, hunk } of fn.hunks) {
      for (const l of doc.files[file]?.hunks[hunk]?.lines ?? []) if (l.kind !== '+') out.push(l.text);
    }
    if (fn.hunks.length === 0 && fn.post) out.push(...fn.post.c.text.split('\n'));
  }
  return out;
}

/**
 * The era a message's functions run on: one set by splicing; else the era whose library twins of
 * the message's functions hold most of its pre-image lines (mail code: its own lines), so that a
 * function is compared with its own era's writing of it rather than with any line of the library;
 * else the best whole-library match. Ties go to the newer era (matchEra's order).
 */
export function chooseEra(doc: PatchDocument, fns: readonly PatchFunction[]): string | undefined {
  const set = fns.find((f) => f.era)?.era;
  if (set) return set;
  const ranked = matchEra(preImageLines(doc, fns));
  if (ranked.length === 0) return undefined;
  const wanted = preImageLines(doc, fns).map(normaliseLine).filter(isSignificant);
  const twinScore = (era: string): number => {
    const lines = new Set<string>();
    for (const f of fns) for (const l of libraryFunctions(era).get(f.name)?.text.split('\n') ?? []) lines.add(normaliseLine(l));
    return wanted.filter((l) => lines.has(l)).length;
  };
  const byTwin = ranked.map((r) => ({ era: r.era, score: twinScore(r.era) })).sort((a, b) => b.score - a.score);
  return byTwin[0].score > 0 ? byTwin[0].era : ranked[0].era;
}

export interface SideProgram {
  program: Program;
  era: string;
  /** Functions whose document body this side runs (replacing or adding to the library). */
  replaced: string[];
  /** Lowering notes of the document's bodies, by function (unknown calls, syntax). */
  notes: string[];
}

/** The patch layer of one side: the document's bodies, lowered, with their document lines. */
export function patchLayer(doc: PatchDocument, fns: readonly PatchFunction[], side: Side): { layer: ProgramFunction[]; notes: string[] } {
  const layer: ProgramFunction[] = [];
  const notes: string[] = [];
  for (const fn of fns) {
    const body = runnableSide(fn, side);
    if (!body) continue;
    const r = lowerFunction(body, fn.name);
    for (const n of r.notes) notes.push(`${fn.name}: ${n.message}`);
    if (!r.ir) continue;
    const f: ProgramFunction = { ir: { ...r.ir, name: fn.name || r.ir.name }, source: 'patch', lines: doc.lines };
    const from = body.c.origin?.find((o): o is { file: string; line: number } => o !== 'document');
    if (from) {
      const text = librarySource(from.file.split('/')[0]!).find((x) => x.file === from.file)?.text;
      if (text !== undefined) f.library = { file: from.file, lines: text.split('\n') };
    }
    layer.push(f);
  }
  return { layer, notes };
}

/** The program one side of one message runs on `era`. */
export function buildSideProgram(doc: PatchDocument, fns: readonly PatchFunction[], side: Side, era: string): SideProgram {
  const { layer, notes } = patchLayer(doc, fns, side);
  return { program: makeProgram(libraryLayer(era), layer), era, replaced: layer.map((f) => f.ir.name), notes };
}
