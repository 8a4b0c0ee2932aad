/**
 * unchecked-return: results that report failure are used. A call from kernel-api.ts MUST_CHECK
 * whose value is discarded, or lands in a variable that no path reads before it is overwritten or
 * the function returns, is reported. A plain copy (`ret = $t`) is followed to the copy's reads.
 *
 * Limits / false negatives: a read that does not decide anything (`(void)ret`, `x = ret` where x
 * is then ignored past the copy depth) counts as a use; results stored into memory
 * (`iocb->ki_result = ...`) count as used; callees reached through function pointers are only
 * known by member name.
 */
import type { FunctionIR } from '../ir/step-program';
import { RULES } from '../findings';
import type { RuleContext, RuleHit, StaticRule } from './rule';
import { definedName, nameOf, readsOf, stableText, stripCasts, successors, tempTexts } from './ir-util';
import { MUST_CHECK } from './kernel-api';

const MAX_COPY_DEPTH = 4;

/** Is `name`, as defined just before step `from`, read on some path before being overwritten? */
function isRead(ir: FunctionIR, name: string, from: number, depth: number): boolean {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const step = ir.steps[at];
    if (!step) continue;
    if (readsOf(step).has(name)) {
      // `x = name;` only moves the value on: it is used if x is.
      const copyTo = step.op === 'assign' ? nameOf(step.target) : undefined;
      const plainCopy = step.op === 'assign' && nameOf(step.value) === name && copyTo !== undefined && copyTo !== name;
      if (!plainCopy || depth >= MAX_COPY_DEPTH) return true;
      if (isRead(ir, copyTo!, step.next, depth + 1)) return true;
    }
    if (definedName(step) === name) continue;
    for (const s of successors(ir, step)) stack.push(s);
  }
  return false;
}

function run(ctx: RuleContext): RuleHit[] {
  const { ir } = ctx;
  const temps = tempTexts(ir);
  const hits: RuleHit[] = [];
  for (const step of ir.steps) {
    if (step.op !== 'call' || !MUST_CHECK.has(step.callee)) continue;
    const key = `${step.callee}(${step.args.map((a) => stableText(a, temps)).join(', ')})`;
    const result = step.result ? stripCasts(step.result) : undefined;
    if (result && result.k !== 'name') continue;
    const name = result?.k === 'name' ? result.name : undefined;
    if (name && isRead(ir, name, step.next, 0)) continue;
    const message =
      name && !name.startsWith('$')
        ? `The result of ${step.callee}() is stored in '${name}' but never looked at, so a failure it reports goes unnoticed.`
        : `The result of ${step.callee}() is discarded, so a failure it reports goes unnoticed.`;
    hits.push({ rule: 'unchecked-return', loc: step.loc, message, key });
  }
  return hits;
}

export const uncheckedReturn: StaticRule = {
  id: 'unchecked-return',
  name: 'Failure result not checked',
  info: RULES['unchecked-return'],
  run,
};
