/**
 * Small helpers the static rules share for reading a step program: successors, the names an
 * expression reads, a normalised text for an expression (stable across pre and post, used as a
 * matching key), and the definitions of single-assignment temporaries.
 */
import type { Expr, FunctionIR, Loc, Step } from '../ir/step-program';
import type { Range } from '../intake/document';

/** Successor step indexes, skipping indexes that do not exist (broken IR never throws here). */
export function successors(ir: FunctionIR, step: Step): number[] {
  let out: number[];
  switch (step.op) {
    case 'assign':
    case 'call':
    case 'declare':
      out = [step.next];
      break;
    case 'branch':
      out = [step.then, step.else];
      break;
    case 'jump':
      out = [step.to];
      break;
    default:
      out = [];
  }
  return out.filter((i) => Number.isInteger(i) && i >= 0 && i < ir.steps.length);
}

export function isTemp(name: string): boolean {
  return name.startsWith('$');
}

/** Strips casts (they change no identity the rules care about). */
export function stripCasts(e: Expr): Expr {
  let cur = e;
  while (cur.k === 'cast') cur = cur.operand;
  return cur;
}

/** The variable an expression plainly names (through casts), or undefined. */
export function nameOf(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const s = stripCasts(e);
  return s.k === 'name' ? s.name : undefined;
}

/** Every sub-expression, the expression itself first. */
export function* subExprs(e: Expr): Generator<Expr> {
  yield e;
  switch (e.k) {
    case 'member':
      yield* subExprs(e.object);
      break;
    case 'index':
      yield* subExprs(e.object);
      yield* subExprs(e.index);
      break;
    case 'unary':
    case 'cast':
      yield* subExprs(e.operand);
      break;
    case 'binary':
      yield* subExprs(e.left);
      yield* subExprs(e.right);
      break;
    case 'cond':
      yield* subExprs(e.test);
      yield* subExprs(e.then);
      yield* subExprs(e.else);
      break;
    default:
      break;
  }
}

/** Names that occur in an expression. */
export function namesIn(e: Expr | undefined): Set<string> {
  const out = new Set<string>();
  if (!e) return out;
  for (const s of subExprs(e)) if (s.k === 'name') out.add(s.name);
  return out;
}

/** Expressions a step evaluates (reads), not counting a plain-name assignment target. */
export function readExprs(step: Step): Expr[] {
  switch (step.op) {
    case 'assign': {
      const out = [step.value];
      // `a->b = v` and `a[i] = v` read the object (and index) to find where to store.
      if (stripCasts(step.target).k !== 'name') out.push(step.target);
      return out;
    }
    case 'call': {
      const out = [...step.args];
      if (step.through) out.push(step.through);
      if (step.result && stripCasts(step.result).k !== 'name') out.push(step.result);
      return out;
    }
    case 'branch':
      return [step.cond];
    case 'return':
      return step.value ? [step.value] : [];
    default:
      return [];
  }
}

/** Names a step reads. */
export function readsOf(step: Step): Set<string> {
  const out = new Set<string>();
  for (const e of readExprs(step)) for (const n of namesIn(e)) out.add(n);
  return out;
}

/** The variable a step overwrites as a whole (assign to a name, call result, declaration). */
export function definedName(step: Step): string | undefined {
  if (step.op === 'assign') return nameOf(step.target);
  if (step.op === 'call') return nameOf(step.result);
  if (step.op === 'declare') return step.name;
  return undefined;
}

/**
 * C-like text of an expression, fully parenthesised where nesting matters, with casts dropped.
 * Used in messages and as a key that does not depend on line numbers. Temporaries are spelled as
 * what they stand for when `temps` says (see `tempTexts`), since their numbering differs between
 * the pre and the post side.
 */
export function exprText(e: Expr, temps?: ReadonlyMap<string, string>): string {
  const t = (x: Expr) => exprText(x, temps);
  const w = (x: Expr) => {
    const s = stripCasts(x);
    return s.k === 'binary' || s.k === 'cond' ? `(${t(s)})` : t(s);
  };
  switch (e.k) {
    case 'const':
      return e.text ?? e.value.toString();
    case 'str':
      return JSON.stringify(e.value);
    case 'name':
      return temps?.get(e.name) ?? e.name;
    case 'member':
      return `${t(e.object)}${e.arrow ? '->' : '.'}${e.field}`;
    case 'index':
      return `${t(e.object)}[${t(e.index)}]`;
    case 'unary':
      return `${e.op}${w(e.operand)}`;
    case 'binary':
      return `${w(e.left)} ${e.op} ${w(e.right)}`;
    case 'cond':
      return `${w(e.test)} ? ${w(e.then)} : ${w(e.else)}`;
    case 'cast':
      return t(e.operand);
    case 'unknown':
      return e.text.replace(/\s+/g, ' ');
  }
}

/** How to spell each single-assignment temporary: the call or expression it holds. */
export function tempTexts(ir: FunctionIR): Map<string, string> {
  const out = new Map<string, string>();
  const count = new Map<string, number>();
  for (const step of ir.steps) {
    const name = definedName(step);
    if (name && isTemp(name)) count.set(name, (count.get(name) ?? 0) + 1);
  }
  // Steps come roughly in evaluation order, so a temporary's own operands are spelled first.
  for (const step of ir.steps) {
    const name = definedName(step);
    if (!name || !isTemp(name) || count.get(name) !== 1) continue;
    if (step.op === 'call') {
      const callee = step.through ? `${exprText(step.through, out)}->${step.callee}` : step.callee;
      out.set(name, `${callee}(${step.args.map((a) => exprText(a, out)).join(', ')})`);
    } else if (step.op === 'assign') out.set(name, exprText(step.value, out));
  }
  return out;
}

/** Text of a lock or page argument: `&mm->page_table_lock` and `mm->page_table_lock` are one lock. */
export function lockKey(e: Expr): string {
  const s = stripCasts(e);
  if (s.k === 'unary' && s.op === '&') return exprText(s.operand);
  return exprText(s);
}

/**
 * Definitions of temporaries that are assigned exactly once: `$t3 = retval < 0`, and the
 * argument of `likely()`/`unlikely()`/`__builtin_expect()` for their results, so that a branch on
 * a temporary can be read through to the condition it stands for.
 */
export function tempDefinitions(ir: FunctionIR): Map<string, Expr> {
  const defs = new Map<string, Expr>();
  const count = new Map<string, number>();
  for (const step of ir.steps) {
    const name = definedName(step);
    if (!name || !isTemp(name)) continue;
    count.set(name, (count.get(name) ?? 0) + 1);
    if (step.op === 'assign') defs.set(name, step.value);
    else if (step.op === 'call' && /^(likely|unlikely|__builtin_expect)$/.test(step.callee) && step.args[0]) {
      defs.set(name, step.args[0]);
    }
  }
  for (const [name, n] of count) if (n !== 1) defs.delete(name);
  return defs;
}

/** Reads a temporary through its single definition (repeatedly), casts dropped. */
export function resolve(e: Expr, defs: Map<string, Expr>): Expr {
  let cur = stripCasts(e);
  for (let depth = 0; depth < 16 && cur.k === 'name' && defs.has(cur.name); depth++) {
    cur = stripCasts(defs.get(cur.name)!);
  }
  return cur;
}

/** Text for keys: temporaries are replaced by what they stand for where known, else by `?`. */
export function stableText(e: Expr, temps: ReadonlyMap<string, string>): string {
  const r = stripCasts(e);
  return r.k === 'name' && isTemp(r.name) && !temps.has(r.name) ? '?' : exprText(r, temps);
}

export function locToRange(loc: Loc): Range {
  return { start: { line: loc.line, character: loc.col }, end: { line: loc.endLine, character: loc.endCol } };
}

/** True when `loc` lies inside `outer`. */
export function locWithin(loc: Loc, outer: Loc): boolean {
  const startsAfter = loc.line > outer.line || (loc.line === outer.line && loc.col >= outer.col);
  const endsBefore = loc.endLine < outer.endLine || (loc.endLine === outer.endLine && loc.endCol <= outer.endCol);
  return startsAfter && endsBefore;
}
