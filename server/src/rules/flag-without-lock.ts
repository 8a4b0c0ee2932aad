/**
 * flag-without-lock: PG_uptodate, ->mapping and page-cache removal change only under the page
 * lock. A change on a page whose lock is not held on SOME path reaching it is reported.
 *
 * Limits / false negatives: the lock is tracked per page *expression*, so an alias through a
 * pointer the function does not copy by plain assignment is not followed; a whole function that
 * never locks a page itself but takes a `struct page *` is assumed to be called with it locked
 * (see page-locks.ts); fragments are not flagged until they lock or unlock the page themselves;
 * lock state held by callees (a helper that locks and returns) is not seen.
 */
import { RULES } from '../findings';
import type { RuleContext, RuleHit, StaticRule } from './rule';
import { analysePageLocks, pageOfStore } from './page-locks';
import { lockKey } from './ir-util';
import { NEEDS_PAGE_LOCK, PAGE_FIELDS_NEED_LOCK } from './kernel-api';

function run(ctx: RuleContext): RuleHit[] {
  const info = analysePageLocks(ctx);
  const hits: RuleHit[] = [];
  ctx.ir.steps.forEach((step, i) => {
    const s = info.before[i];
    if (!s) return;
    let page: string | undefined;
    let what = '';
    if (step.op === 'call' && NEEDS_PAGE_LOCK.has(step.callee)) {
      const arg = step.args[NEEDS_PAGE_LOCK.get(step.callee)!];
      if (!arg) return;
      page = lockKey(arg);
      what = `${step.callee}()`;
    } else if (step.op === 'assign') {
      const store = pageOfStore(step.target);
      if (!store || !PAGE_FIELDS_NEED_LOCK.has(store.field)) return;
      page = lockKey(store.page);
      what = `the store to ${page}->${store.field}`;
    }
    if (page === undefined) return;
    const e = info.get(s, page);
    if (e.v !== 'not' && e.v !== 'maybe') return;
    const related: RuleHit['related'] = [];
    let message: string;
    if (e.v === 'maybe') {
      message = `${what} changes state that the page lock protects, but '${page}' is locked on only some of the paths that reach it.`;
      if (e.at) related.push({ message: `'${page}' is locked here on some paths only`, loc: e.at });
    } else if (e.at) {
      message = `${what} changes state that the page lock protects, but the lock on '${page}' has been released before it.`;
      related.push({ message: `the lock on '${page}' is released here`, loc: e.at });
    } else {
      message = `${what} changes state that the page lock protects, but '${page}' is not locked on this path.`;
    }
    const hit: RuleHit = { rule: 'flag-without-lock', loc: step.loc, message, key: `${what}:${page}` };
    if (related.length > 0) hit.related = related;
    hits.push(hit);
  });
  return hits;
}

export const flagWithoutLock: StaticRule = {
  id: 'flag-without-lock',
  name: 'Page state changed without the page lock',
  info: RULES['flag-without-lock'],
  run,
};
