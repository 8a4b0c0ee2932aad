/**
 * The static tier (DESIGN sections 6 and 8): lowers the pre and post side of every function,
 * runs the flow rules on both step programs and the syntactic c-warning checks on both parse
 * trees, and compares the two sides to give each finding its status. Never throws: a side that
 * cannot be lowered, or a rule that fails, contributes no findings.
 */
import type { PatchDocument } from '../intake/types';
import type { FunctionSide, PatchFunction } from '../functions/types';
import type { Finding } from '../findings';
import { parseC, parserReady } from '../c/parser';
import { lowerFunction } from '../lower/lower';
import { fragmentText, wholeText } from '../lower/fragment';
import type { RuleHit, StaticRule } from './types';
import { flagWithoutLock } from './flag-without-lock';
import { uncheckedReturn } from './unchecked-return';
import { errorClobber } from './error-clobber';
import { lockOrder } from './lock-order';
import { sleepInAtomic } from './sleep-in-atomic';
import { cWarning, cWarningSyntax } from './c-warning';
import { compareSides, type LineKinds, type SideResult } from './status';

/** Every flow rule of the static tier, in the order they run. */
export const STATIC_RULES: readonly StaticRule[] = [flagWithoutLock, uncheckedReturn, errorClobber, lockOrder, sleepInAtomic, cWarning];

/** Document lines that hunks add and remove (c-warning looks only at added code). */
export function lineKinds(doc: PatchDocument): LineKinds {
  const added = new Set<number>();
  const removed = new Set<number>();
  for (const f of doc.files) {
    for (const h of f.hunks) {
      for (const l of h.lines) {
        if (l.kind === '+') added.add(l.line);
        else if (l.kind === '-') removed.add(l.line);
      }
    }
  }
  return { added, removed };
}

/** Runs every rule on one side; `fragment` makes entry state unknown. */
export function analyseSide(side: FunctionSide, name: string, fragment: boolean): SideResult {
  const lines = new Set<number>();
  if (side.c.source.kind === 'document') for (const m of side.c.map) if (m.line >= 0) lines.add(m.line);
  const hits: RuleHit[] = [];
  if (!parserReady()) return { hits, lines };
  let lowered: ReturnType<typeof lowerFunction> | undefined;
  try {
    lowered = lowerFunction(side, name);
  } catch {
    lowered = undefined;
  }
  const ir = lowered?.ir;
  if (ir) {
    for (const rule of STATIC_RULES) {
      try {
        hits.push(...rule.run({ ir, fragment }));
      } catch {
        // A rule bug must not hide the other rules' findings.
      }
    }
  }
  try {
    const pt = fragment ? fragmentText(side.c) : wholeText(side.c);
    const tree = parseC(pt.text);
    try {
      hits.push(...cWarningSyntax(tree.rootNode, side.c, pt.rows));
    } finally {
      tree.delete();
    }
  } catch {
    // Parsing never throws on bad input; this guards only against an unexpected tree shape.
  }
  return { hits, lines };
}

/** The static tier: flow-sensitive checks on the pre and post bodies, with statuses from comparing them. */
export function runStaticRules(doc: PatchDocument, functions: PatchFunction[]): Finding[] {
  const kinds = lineKinds(doc);
  const findings: Finding[] = [];
  for (const fn of functions) {
    const usable = (s: FunctionSide | undefined, origin: string) => (s && origin !== 'none' ? s : undefined);
    const preSide = usable(fn.pre, fn.preOrigin);
    const postSide = usable(fn.post, fn.postOrigin);
    const pre = preSide ? analyseSide(preSide, fn.name, fn.preOrigin === 'fragment' || !preSide.whole) : undefined;
    const post = postSide ? analyseSide(postSide, fn.name, fn.postOrigin === 'fragment' || !postSide.whole) : undefined;
    findings.push(...compareSides(fn, pre, post, kinds));
  }
  return findings;
}
