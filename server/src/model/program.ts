/**
 * A program: every C function a run may call, by name — the era library's functions, with the
 * patch's bodies replacing their library twins for the post side. Each keeps where it came from,
 * so traces can point at the patch's lines or at the model library's source.
 */
import { fromLibraryLocLine, type FunctionIR, type Loc } from '../ir/step-program';
import type { LineOrigin } from '../functions/patch-function';
import type { LineSource } from './library/layer-diff';

export interface ProgramFunction {
  ir: FunctionIR;
  source: 'patch' | 'model';
  /** The lines its Locs index (the function's own text for library code, the document's lines for patch code). */
  lines?: string[];
  /** For model code: per line of its text (Loc line i), the layer file and line it comes from. */
  origin?: readonly LineSource[];
  /** For a spliced patch body: the body's own lines and their origins; a Loc below -1 stands
   *  for one of these lines that came from the library (see `libraryLocLine`). */
  library?: { lines: string[]; origin: readonly LineOrigin[] };
}

export type Program = Map<string, ProgramFunction>;

/** Builds a program from library functions and the patch's replacements (later layers win). */
export function makeProgram(...layers: ProgramFunction[][]): Program {
  const p: Program = new Map();
  for (const layer of layers) for (const f of layer) p.set(f.ir.name, f);
  return p;
}

/** Where a step's Loc lies: the library file and line for model code and for the library lines
 *  of a spliced body, else nothing (a document line). */
export function modelPlace(f: ProgramFunction, loc: Loc): { file: string; line: number } | undefined {
  const lib = fromLibraryLocLine(loc.line);
  if (lib !== undefined && f.library) {
    const o = f.library.origin[lib];
    return o !== undefined && o !== 'document' ? { file: o.file, line: o.line } : undefined;
  }
  const o = f.origin?.[loc.line];
  return o ? { file: o.file, line: o.line } : undefined;
}

/** The source text a Loc covers, cut to its first line (for trace tables). */
export function codeAt(f: ProgramFunction | undefined, loc: Loc): string {
  const lib = fromLibraryLocLine(loc.line);
  if (lib !== undefined && f?.library) {
    const text = f.library.lines[lib];
    if (text === undefined) return '';
    return (loc.endLine === loc.line ? text.slice(loc.col, loc.endCol) : text.slice(loc.col)).trim();
  }
  const line = f?.lines?.[loc.line];
  if (line === undefined) return '';
  const text = loc.endLine === loc.line ? line.slice(loc.col, loc.endCol) : line.slice(loc.col);
  return text.trim();
}
