/**
 * Where a model finding sits when its race window does not give a line of the patch (DESIGN
 * section 8): a witness that ran only library code the patch did not change is anchored on the
 * changed line of the scenario's path nearest to it, never on another file, a comment, or a
 * function the witness never ran.
 *
 * "Changed code lines" of a side are the document lines that a hunk changes on that side ('-' on
 * pre, '+' on post) and that carry a step of the side's lowered body of a changed function: a
 * comment, a blank or a brace changes no step, so it is never an anchor. Only functions from C
 * files are lowered (functions/extract.ts), so no anchor lies in Documentation/ or a Makefile.
 *
 * Order of choice, for a violation seen after step `at` of the witness:
 * 1. the last step at or before `at` that ran a changed code line (the patch's own code nearest
 *    to the break, whichever thread ran it), one that changed the state first (a test or a
 *    loop's last lookup says less about the break than the step that changed a page);
 * 2. the last step at or before `at` that ran a line of the patch's text (context included);
 * 3. the first changed code line of a changed function that the witness ran (a spliced body's
 *    library lines run as model code, but under the function's name);
 * 4. the first changed code line of the side (the call into the path from a changed function).
 */
import type { PatchFunction } from '../functions/patch-function';
import type { PatchDocument, Range } from '../intake/document';
import type { Program } from '../model/program';
import type { Side } from '../findings';
import type { RunStep } from './scenario-run';

function lineRange(doc: PatchDocument, line: number): Range {
  const text = doc.lines[line] ?? '';
  return { start: { line, character: Math.min(1, text.length) }, end: { line, character: text.length } };
}

/** Lines a changed function's hunks change on `side`. */
function changedLines(doc: PatchDocument, fn: PatchFunction, side: Side): number[] {
  const want = side === 'pre' ? '-' : '+';
  const out: number[] = [];
  for (const { file, hunk } of fn.hunks) for (const l of doc.files[file]?.hunks[hunk]?.lines ?? []) if (l.kind === want) out.push(l.line);
  return out;
}

/** Document lines that carry a step of the side's body of `fn` (empty when it does not run). */
function stepLines(program: Program | undefined, fn: PatchFunction): Set<number> {
  const pf = program?.get(fn.name);
  const out = new Set<number>();
  if (!pf || pf.source !== 'patch') return out;
  for (const st of pf.ir.steps) if (st.loc.line >= 0) out.add(st.loc.line);
  return out;
}

/** The changed code lines of one function on one side, in document order. */
export function changedCodeLines(doc: PatchDocument, program: Program | undefined, fn: PatchFunction, side: Side): number[] {
  const steps = stepLines(program, fn);
  return changedLines(doc, fn, side).filter((l) => steps.has(l)).sort((a, b) => a - b);
}

/**
 * The first changed code line of the side's functions (any changed line of a function when none
 * carries a step, e.g. a post side that only removes lines: then its first context step line).
 */
export function firstChangedLine(doc: PatchDocument, fns: readonly PatchFunction[], program: Program | undefined, side: Side): Range {
  for (const fn of fns) {
    const code = changedCodeLines(doc, program, fn, side);
    if (code.length > 0) return lineRange(doc, code[0]);
  }
  for (const fn of fns) {
    const steps = [...stepLines(program, fn)].sort((a, b) => a - b);
    const changed = changedLines(doc, fn, side === 'pre' ? 'post' : 'pre');
    // The step nearest after the other side's first change: where this side's code differs.
    const at = changed.length > 0 ? steps.find((l) => l >= changed[0]) : steps[0];
    if (at !== undefined) return lineRange(doc, at);
  }
  const r = fns[0]?.range.start ?? { line: 0, character: 0 };
  return { start: r, end: { line: r.line, character: doc.lines[r.line]?.length ?? 0 } };
}

/** Where a finding whose window gave no patch line sits (see the order above). */
export function witnessAnchor(doc: PatchDocument, fns: readonly PatchFunction[], program: Program | undefined, side: Side, steps: readonly RunStep[], at: number): Range {
  const changed = new Set(fns.flatMap((fn) => changedCodeLines(doc, program, fn, side)));
  const upTo = Math.min(at, steps.length - 1);
  let onChanged: Range | undefined;
  let anyPatch: Range | undefined;
  for (let i = upTo; i >= 0; i--) {
    const r = steps[i].range;
    if (!r) continue;
    if (changed.has(r.start.line)) {
      if (steps[i].effect !== '') return r;
      onChanged ??= r;
    }
    anyPatch ??= r;
  }
  if (onChanged ?? anyPatch) return (onChanged ?? anyPatch)!;
  const ran = new Set(steps.map((s) => s.function));
  for (const fn of fns) {
    if (!ran.has(fn.name)) continue;
    const code = changedCodeLines(doc, program, fn, side);
    if (code.length > 0) return lineRange(doc, code[0]);
  }
  return firstChangedLine(doc, fns, program, side);
}
