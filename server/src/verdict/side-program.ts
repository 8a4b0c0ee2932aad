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
 * The era of a message comes from the one era chooser (`functions/era.ts`, `chooseEra`).
 * Needs `initAnalysis()` to have completed (lowering parses C).
 */
import type { CText, FunctionSide, PatchFunction } from '../functions/patch-function';
import type { PatchDocument } from '../intake/document';
import { lowerFunction } from '../lower/lower';
import type { Abi } from '../lower/ctypes';
import { libraryFunctions } from '../model/library/index';
import { makeProgram, type Program, type ProgramFunction } from '../model/program';
import type { FunctionIR } from '../ir/step-program';
import { prebuiltLowering } from './lowered-library';
import type { Side } from '../findings';

const libraryCache = new Map<string, ProgramFunction[]>();

/** Every function of an era's library, lowered for `abi` (once per process and data model): the
 *  build's step programs when it lowered this library for this data model (lowered-library.ts). */
export function libraryLayer(era: string, abi: Abi = 'lp64'): ProgramFunction[] {
  const key = `${era}\u0000${abi}`;
  let fns = libraryCache.get(key);
  if (!fns) {
    fns = [];
    const irs = prebuiltLowering(era, abi) ?? lowerLibrary(era, abi);
    for (const [name, fn] of libraryFunctions(era)) {
      const ir = Object.hasOwn(irs, name) ? irs[name] : undefined;
      if (ir) fns.push({ ir, source: 'model', lines: fn.text.split('\n'), origin: fn.origin });
    }
    libraryCache.set(key, fns);
  }
  return fns;
}

/** The step program of every function of an era's library that lowers, by name (what the build writes). */
export function lowerLibrary(era: string, abi: Abi): Record<string, FunctionIR> {
  const out: Record<string, FunctionIR> = {};
  for (const [name, fn] of libraryFunctions(era)) {
    const c: CText = { text: fn.text, map: fn.text.split('\n').map((_, i) => ({ line: fn.origin[i]?.line ?? -1, character: 0 })), source: { kind: 'library', file: fn.file } };
    const r = lowerFunction({ c, whole: true }, name, abi, era);
    if (r.ir) out[name] = r.ir;
  }
  return out;
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

/** The patch layer of one side: the document's bodies, lowered, with their document lines. */
export function patchLayer(doc: PatchDocument, fns: readonly PatchFunction[], side: Side, abi: Abi, era?: string): { layer: ProgramFunction[]; notes: string[] } {
  const layer: ProgramFunction[] = [];
  const notes: string[] = [];
  for (const fn of fns) {
    const body = runnableSide(fn, side);
    if (!body) continue;
    const r = lowerFunction(body, fn.name, abi, era);
    for (const n of r.notes) notes.push(`${fn.name}: ${n.message}`);
    if (!r.ir) continue;
    const f: ProgramFunction = { ir: { ...r.ir, name: fn.name || r.ir.name }, source: 'patch', lines: doc.lines };
    // A spliced body: its library lines are Locs below -1 (lower.ts), traced to their layer files.
    const origin = body.c.origin;
    if (origin?.some((o) => o !== 'document')) f.library = { lines: body.c.text.split('\n'), origin };
    layer.push(f);
  }
  return { layer, notes };
}

