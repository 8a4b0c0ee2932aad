/**
 * Which page locks the function holds at every step, per page expression (`page`,
 * `pvec.pages[i]`, ...). Shared by flag-without-lock and lock-order.
 *
 * A page is named by the normalised text of the expression passed to lock_page(). When a variable
 * in that text is overwritten (a new loop iteration's `page = pvec.pages[i]`, `i++`), the text
 * names another page: a lock still held on the old one becomes an "orphan" that lock-order sees.
 *
 * Assumptions, stated because they decide what is flagged:
 * - A whole function that takes a `struct page *` parameter and never locks or unlocks a page
 *   itself is taken to be "called with the page locked" (truncate_complete_page and friends):
 *   pages named from its parameters start held. A false negative when the caller does not lock.
 * - In a fragment, state at entry is unknown: pages start `unknown` and are never flagged until
 *   the fragment itself locks or unlocks them.
 * - Path sensitivity only for trylock results (TestSetPageLocked, trylock_page), read through
 *   temporaries, `!`, `== 0`, `!= 0` and likely()/unlikely().
 */
import type { Expr, FunctionIR, Loc, Step } from '../ir/step-program';
import type { RuleContext } from './rule';
import { mapsEqual, solveForward, type BranchStep, type ForwardProblem } from './dataflow';
import { exprText, lockKey, nameOf, resolve, stripCasts, tempDefinitions } from './ir-util';
import { PAGE_LOCK, PAGE_TRYLOCK, PAGE_UNLOCK, RETURNS_LOCKED_PAGE } from './kernel-api';

export type LockVal = 'held' | 'not' | 'maybe' | 'unknown';

export interface PageEntry {
  v: LockVal;
  /** Where this function last took (held/maybe) or dropped (not) the lock. */
  at?: Loc;
}

interface Trylock {
  key: string;
  success: 'zero' | 'nonzero';
  prior: PageEntry;
  at: Loc;
}

export interface PageLockState {
  pages: Map<string, PageEntry>;
  /** Locks possibly still held on a page that no variable names any more, by where they were taken. */
  orphans: Map<string, Loc>;
  trylocks: Map<string, Trylock>;
  /** Variables overwritten since entry (a parameter so overwritten no longer names the caller's page). */
  reassigned: Set<string>;
}

export interface PageLockInfo {
  before: (PageLockState | undefined)[];
  /** The lock state of a page expression in a state. */
  get(s: PageLockState, key: string): PageEntry;
  callerHolds: boolean;
}

function joinVal(a: LockVal, b: LockVal): LockVal {
  if (a === b) return a;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'maybe';
}

function locId(l: Loc): string {
  return `${l.line}:${l.col}`;
}

function earlier(a: Loc | undefined, b: Loc | undefined): Loc | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.line < b.line || (a.line === b.line && a.col <= b.col) ? a : b;
}

function isPagePointerParam(ir: FunctionIR, name: string): boolean {
  const p = ir.params.find((v) => v.name === name);
  return !!p && p.type.t === 'ptr' && p.type.to.t === 'struct' && p.type.to.name === 'page';
}

/** True when the function itself takes or drops any page lock. */
function touchesPageLocks(ir: FunctionIR): boolean {
  return ir.steps.some(
    (s) => s.op === 'call' && (PAGE_LOCK.has(s.callee) || PAGE_UNLOCK.has(s.callee) || PAGE_TRYLOCK.has(s.callee) || RETURNS_LOCKED_PAGE.has(s.callee)),
  );
}

export function analysePageLocks(ctx: RuleContext): PageLockInfo {
  const { ir, fragment } = ctx;
  const defs = tempDefinitions(ir);
  const callerHolds = !fragment && !touchesPageLocks(ir) && ir.params.some((p) => isPagePointerParam(ir, p.name));

  const rootOf = (key: string, s: PageLockState): string | undefined => {
    const m = /^[A-Za-z_$][\w$]*/.exec(key);
    return m && !s.reassigned.has(m[0]) ? m[0] : undefined;
  };
  const get = (s: PageLockState, key: string): PageEntry => {
    const e = s.pages.get(key);
    if (e) return e;
    const root = rootOf(key, s);
    if (callerHolds && root && isPagePointerParam(ir, root)) return { v: 'held' };
    return { v: fragment ? 'unknown' : 'not' };
  };
  const clone = (s: PageLockState): PageLockState => ({
    pages: new Map(s.pages),
    orphans: new Map(s.orphans),
    trylocks: new Map(s.trylocks),
    reassigned: new Set(s.reassigned),
  });
  /** `name` now holds another value: page texts that mention it name another page. */
  const overwrite = (s: PageLockState, name: string) => {
    for (const [key, e] of [...s.pages]) {
      if (!mentions(key, name)) continue;
      if ((e.v === 'held' || e.v === 'maybe') && e.at) s.orphans.set(locId(e.at), e.at);
      s.pages.delete(key);
    }
    s.trylocks.delete(name);
    // Only a page parameter's root matters (`get` presumes the caller holds its lock until it is
    // reassigned); pages named through any other variable fall back to `get`'s default. Keeping
    // every assigned name here made each state grow with the program: quadratic on long functions.
    if (isPagePointerParam(ir, name)) s.reassigned.add(name);
  };

  const problem: ForwardProblem<PageLockState> = {
    init: () => ({ pages: new Map(), orphans: new Map(), trylocks: new Map(), reassigned: new Set() }),
    join(a, b) {
      const out = clone(a);
      const keys = new Set([...a.pages.keys(), ...b.pages.keys()]);
      for (const k of keys) {
        const x = get(a, k);
        const y = get(b, k);
        out.pages.set(k, { v: joinVal(x.v, y.v), at: earlier(x.at, y.at) });
      }
      for (const [k, l] of b.orphans) out.orphans.set(k, l);
      for (const [k, t] of b.trylocks) if (!out.trylocks.has(k)) out.trylocks.set(k, t);
      for (const r of b.reassigned) out.reassigned.add(r);
      return out;
    },
    equal(a, b) {
      const eqE = (x: PageEntry, y: PageEntry) => x.v === y.v && (x.at === y.at || (!!x.at && !!y.at && locId(x.at) === locId(y.at)));
      return (
        mapsEqual(a.pages, b.pages, eqE) &&
        mapsEqual(a.orphans, b.orphans, () => true) &&
        mapsEqual(a.trylocks, b.trylocks, (x, y) => x.key === y.key) &&
        a.reassigned.size === b.reassigned.size
      );
    },
    transfer(step: Step, _at: number, s0: PageLockState) {
      const s = clone(s0);
      if (step.op === 'declare') {
        overwrite(s, step.name);
      } else if (step.op === 'assign') {
        const target = nameOf(step.target);
        if (target) {
          const src = stripCasts(step.value);
          const srcName = nameOf(src);
          const copied = srcName ? get(s0, srcName) : undefined;
          const tl = srcName ? s0.trylocks.get(srcName) : undefined;
          const negated = src.k === 'unary' && src.op === '!' ? s0.trylocks.get(nameOf(src.operand) ?? '') : undefined;
          overwrite(s, target);
          if (copied && srcName && s0.pages.has(srcName)) s.pages.set(target, copied);
          else if (copied && srcName && copied.v === 'held') s.pages.set(target, copied);
          if (tl) s.trylocks.set(target, tl);
          if (negated) s.trylocks.set(target, { ...negated, success: negated.success === 'zero' ? 'nonzero' : 'zero' });
        }
      } else if (step.op === 'call') {
        const arg0 = step.args[0];
        const result = nameOf(step.result);
        if (result) overwrite(s, result);
        if (arg0 && PAGE_LOCK.has(step.callee)) {
          s.pages.set(lockKey(arg0), { v: 'held', at: step.loc });
        } else if (arg0 && PAGE_UNLOCK.has(step.callee)) {
          s.pages.set(lockKey(arg0), { v: 'not', at: step.loc });
        } else if (arg0 && PAGE_TRYLOCK.has(step.callee)) {
          const key = lockKey(arg0);
          const prior = get(s0, key);
          s.pages.set(key, { v: joinVal(prior.v, 'held'), at: step.loc });
          if (result) s.trylocks.set(result, { key, success: PAGE_TRYLOCK.get(step.callee)!, prior, at: step.loc });
        } else if (RETURNS_LOCKED_PAGE.has(step.callee) && step.result) {
          s.pages.set(lockKey(step.result), { v: 'held', at: step.loc });
        }
        if (result && /^(likely|unlikely|__builtin_expect)$/.test(step.callee) && arg0) {
          const tl = s0.trylocks.get(nameOf(arg0) ?? '');
          if (tl) s.trylocks.set(result, tl);
        }
      }
      return s;
    },
    edge(step: BranchStep, _at: number, s0: PageLockState, taken: boolean) {
      const found = trylockTest(step.cond, taken, s0, defs);
      if (!found) return s0;
      const s = clone(s0);
      const { tl, acquired } = found;
      s.pages.set(tl.key, acquired ? { v: 'held', at: tl.at } : tl.prior);
      return s;
    },
  };
  return { before: solveForward(ir, problem), get, callerHolds };
}

/** Does the condition, when it has truth `taken`, say whether a pending trylock succeeded? */
function trylockTest(
  cond: Expr,
  taken: boolean,
  s: PageLockState,
  defs: Map<string, Expr>,
): { tl: Trylock; acquired: boolean } | undefined {
  let e = stripCasts(cond);
  let truth = taken;
  for (let depth = 0; depth < 8; depth++) {
    if (e.k === 'name') {
      const tl = s.trylocks.get(e.name);
      if (tl) return { tl, acquired: tl.success === 'nonzero' ? truth : !truth };
      const next = resolve(e, defs);
      if (next === e) return undefined;
      e = next;
    } else if (e.k === 'unary' && e.op === '!') {
      truth = !truth;
      e = stripCasts(e.operand);
    } else if (e.k === 'binary' && (e.op === '==' || e.op === '!=')) {
      const zeroRight = e.right.k === 'const' && e.right.value === 0n;
      const zeroLeft = e.left.k === 'const' && e.left.value === 0n;
      if (!zeroRight && !zeroLeft) return undefined;
      // `x == 0` is `!x`; `x != 0` is `x`.
      if (e.op === '==') truth = !truth;
      e = stripCasts(zeroRight ? e.left : e.right);
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Does a page text mention the variable `name` as a whole identifier? */
export function mentions(key: string, name: string): boolean {
  if (key === name) return true;
  // Cheap test first: this runs at every assignment of every path the solver visits.
  if (!key.includes(name)) return false;
  let re = wordPatterns.get(name);
  if (!re) {
    const esc = name.replace(/[$]/g, '\\$');
    re = new RegExp(`(^|[^\\w$])${esc}($|[^\\w$])`);
    wordPatterns.set(name, re);
  }
  return re.test(key);
}

const wordPatterns = new Map<string, RegExp>();

/** The page expression a member store writes to, when the store is `X->mapping = ...` on a page. */
export function pageOfStore(target: Expr): { page: Expr; field: string } | undefined {
  const t = stripCasts(target);
  if (t.k !== 'member') return undefined;
  const obj = t.object;
  const ty = obj.type;
  const isPage =
    (ty.t === 'ptr' && ty.to.t === 'struct' && ty.to.name === 'page') ||
    (ty.t === 'struct' && ty.name === 'page') ||
    (ty.t === 'unknown' && /page/.test(exprText(obj)));
  return isPage ? { page: obj, field: t.field } : undefined;
}

