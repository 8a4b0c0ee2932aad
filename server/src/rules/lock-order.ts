/**
 * lock-order: page locks are taken in ascending index order. Reported: a blocking page lock taken
 * while another page lock may be held (the static tier cannot prove the second page has the
 * higher index, so any nesting is reported), a page lock taken in a loop while the previous
 * iteration's lock may still be held, and a page lock taken while the same page may already be
 * locked (self-deadlock).
 *
 * Limits / false negatives: trylocks never deadlock and are not reported; locks taken by callees
 * are not seen; a caller's lock on a parameter page is not known (only locks this function takes).
 * False positive: nesting that the code orders by index (e.g. `if (a->index < b->index)`) is still
 * reported, since index order is not tracked.
 */
import { RULES } from '../findings';
import type { RuleContext, RuleHit, StaticRule } from './rule';
import { analysePageLocks } from './page-locks';
import { lockKey } from './ir-util';
import { PAGE_LOCK, RETURNS_LOCKED_PAGE } from './kernel-api';

function sameLoc(a: { line: number; col: number }, b: { line: number; col: number }): boolean {
  return a.line === b.line && a.col === b.col;
}

function run(ctx: RuleContext): RuleHit[] {
  const info = analysePageLocks(ctx);
  const hits: RuleHit[] = [];
  ctx.ir.steps.forEach((step, i) => {
    const s = info.before[i];
    if (!s || step.op !== 'call') return;
    let page: string;
    if (PAGE_LOCK.has(step.callee) && step.args[0]) page = lockKey(step.args[0]);
    else if (RETURNS_LOCKED_PAGE.has(step.callee)) page = step.result ? lockKey(step.result) : '?';
    else return;
    const self = info.get(s, page);
    if ((self.v === 'held' || self.v === 'maybe') && self.at) {
      hits.push({
        rule: 'lock-order',
        loc: step.loc,
        message: `${step.callee}() may be called on '${page}' while this path already holds that page's lock, which deadlocks.`,
        key: `self:${step.callee}:${page}`,
        related: [{ message: `'${page}' is locked here`, loc: self.at }],
      });
      return;
    }
    for (const [, at] of s.orphans) {
      const loop = sameLoc(at, step.loc);
      hits.push({
        rule: 'lock-order',
        loc: step.loc,
        message: loop
          ? `${step.callee}() is taken in a loop while the page locked by a previous iteration may still be held, so two page locks are held with no index order.`
          : `${step.callee}() takes a page lock while a lock on a page that is no longer named here may still be held, with no index order between them.`,
        key: loop ? `loop:${step.callee}:${page}` : `orphan:${step.callee}:${page}`,
        related: [{ message: loop ? 'the previous iteration locked its page here' : 'that page was locked here', loc: at }],
      });
      return;
    }
    for (const [other, e] of s.pages) {
      if (other === page || !e.at || (e.v !== 'held' && e.v !== 'maybe')) continue;
      hits.push({
        rule: 'lock-order',
        loc: step.loc,
        message: `${step.callee}() locks '${page}' while '${other}' may still be locked, and nothing shows that '${page}' has the higher index.`,
        key: `nest:${step.callee}:${page}:${other}`,
        related: [{ message: `'${other}' is locked here`, loc: e.at }],
      });
      return;
    }
  });
  return hits;
}

export const lockOrder: StaticRule = {
  id: 'lock-order',
  name: 'Page locks taken out of index order',
  info: RULES['lock-order'],
  run,
};
