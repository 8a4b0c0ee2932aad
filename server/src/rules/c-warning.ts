/**
 * c-warning: added code has none of the warnings `gcc -Wall -Wextra` would give. This file is the
 * rule's entry; the checks live in c-warning-flow.ts (types and flow, on the step program) and
 * c-warning-syntax.ts (syntax, on the tree-sitter tree). Only warnings on added lines ('+' lines,
 * or all of the code pasted into a mail) are reported; that filter is applied in static.ts, which
 * knows the document.
 *
 * Limits / false negatives: only the warnings listed in those two files; no macro expansion; no
 * warnings that need whole-program knowledge (prototypes, unused functions, format strings).
 */
import { RULES } from '../findings';
import type { CText } from '../functions/patch-function';
import type { SyntaxNode } from '../c/parser';
import type { RuleContext, RuleHit, StaticRule } from './rule';
import { flowWarnings } from './c-warning-flow';
import { syntaxWarnings } from './c-warning-syntax';

export const cWarning: StaticRule = {
  id: 'c-warning',
  name: 'gcc -Wall -Wextra warning in added code',
  info: RULES['c-warning'],
  run: (ctx: RuleContext) => flowWarnings(ctx),
};

/** The syntactic half, which needs the parse tree rather than the step program. */
export function cWarningSyntax(root: SyntaxNode, c: CText, rows?: readonly number[]): RuleHit[] {
  return syntaxWarnings(root, c, rows);
}
