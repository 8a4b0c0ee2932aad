/**
 * Statements: tree-sitter-c statement nodes to steps. Loops, `switch` (a chain of equality
 * branches into the case bodies, which fall through as in C), `goto` and labels, `break` and
 * `continue` become branches and jumps of the step array; declarations become `declare` steps
 * followed by their initialisers.
 */
import type { SyntaxNode } from '../c/parser';
import type { CType, Expr, Loc } from '../ir/step-program';
import type { Slot } from './builder';
import { T, type Abi } from './ctypes';
import { baseType, declarator } from './decl';
import { ExprLowerer, hintArgument, parseInteger, stripParens } from './expr';
import { appendAll } from '../arrays';

interface LoopContext {
  breaks: Slot[];
  /** Undefined for `switch`, which `continue` passes through to the enclosing loop. */
  continues?: Slot[];
}

/** A node that is a constant condition: `1` in `while (1)`, `0` in `do { } while (0)`. */
function constantCondition(node: SyntaxNode | null, abi: Abi): bigint | undefined {
  if (!node) return undefined;
  const n = stripParens(node);
  return n.type === 'number_literal' ? parseInteger(n.text, abi)?.value : undefined;
}

export class StmtLowerer {
  private loops: LoopContext[] = [];

  constructor(readonly x: ExprLowerer, readonly returnType: CType) {}

  private get b() { return this.x.b; }

  statement(node: SyntaxNode): void {
    const b = this.b;
    const loc = b.locOf(node);
    switch (node.type) {
      case 'compound_statement':
        b.pushScope();
        for (const c of node.namedChildren) if (c) this.statement(c);
        b.popScope();
        return;
      case 'comment':
        return;
      case 'declaration':
        this.declaration(node);
        return;
      case 'expression_statement': {
        const e = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
        if (e) this.x.effect(e);
        for (const c of node.namedChildren) if (c?.type === 'ERROR') b.note('syntax', `cannot parse: ${c.text.slice(0, 60)}`, b.locOf(c));
        return;
      }
      case 'if_statement': {
        const r = this.x.condition(node.childForFieldName('condition')!);
        b.cur = r.t;
        this.statement(node.childForFieldName('consequence')!);
        const after = b.cur;
        b.cur = r.f;
        const alt = node.childForFieldName('alternative');
        if (alt) for (const c of alt.namedChildren) if (c) this.statement(c);
        b.cur = [...after, ...b.cur];
        return;
      }
      case 'while_statement':
        this.loop(node.childForFieldName('condition'), node.childForFieldName('body'), undefined, loc);
        return;
      case 'for_statement': {
        b.pushScope();
        const init = node.childForFieldName('initializer');
        if (init?.type === 'declaration') this.declaration(init);
        else if (init) this.x.effect(init);
        this.loop(node.childForFieldName('condition'), node.childForFieldName('body'), node.childForFieldName('update'), loc);
        b.popScope();
        return;
      }
      case 'do_statement':
        this.doLoop(node, loc);
        return;
      case 'break_statement':
      case 'continue_statement': {
        const isBreak = node.type === 'break_statement';
        const ctx = [...this.loops].reverse().find((l) => isBreak || l.continues);
        const slot = b.jump(loc, isBreak ? 'break' : 'continue');
        if (ctx) (isBreak ? ctx.breaks : ctx.continues!).push(slot);
        else b.note('syntax', `${isBreak ? 'break' : 'continue'} outside a loop`, loc);
        return;
      }
      case 'return_statement': {
        const e = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
        const value = e ? this.x.value(e) : undefined;
        b.emit({ op: 'return', ...(value ? { value } : {}), loc });
        return;
      }
      case 'goto_statement':
        b.goto(node.childForFieldName('label')?.text ?? '?', loc);
        return;
      case 'labeled_statement': {
        b.label(node.childForFieldName('label')?.text ?? '?');
        for (const c of node.namedChildren) if (c && c.type !== 'statement_identifier') this.statement(c);
        return;
      }
      case 'switch_statement':
        this.switchStatement(node, loc);
        return;
      case 'ERROR':
        b.note('syntax', `cannot parse: ${node.text.slice(0, 60)}`, loc);
        // Keep what can be kept: statements that tree-sitter recognised inside the damage.
        for (const c of node.namedChildren) if (c && /statement|declaration/.test(c.type)) this.statement(c);
        return;
      default:
        if (node.type.startsWith('preproc_')) {
          b.note('unsupported', 'preprocessor conditional inside a function: its code is not lowered', loc);
          return;
        }
        if (node.type.endsWith('_expression') || node.type === 'identifier') { this.x.effect(node); return; }
        b.note('unsupported', `statement form the model does not run: ${node.type}`, loc);
    }
  }

  declaration(node: SyntaxNode): void {
    const b = this.b;
    const base = baseType(node, b.abi);
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      const { name, type } = declarator(base, d);
      if (!name) continue;
      const loc = b.locOf(d);
      const v = b.declare(name, type, loc);
      b.emit({ op: 'declare', name: v.name, type, next: -1, loc });
      const init = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      if (!init) continue;
      const target: Expr = { k: 'name', name: v.name, scope: 'local', type, loc: b.locOf(d.childForFieldName('declarator')!) };
      const rnode = stripParens(init);
      if (rnode.type === 'call_expression' && !hintArgument(rnode)) { this.x.call(rnode, true, target); continue; }
      if (rnode.type === 'initializer_list') {
        b.note('unsupported', 'initializer list: the local starts with an unknown value', b.locOf(init));
        b.emit({ op: 'assign', target, value: { k: 'unknown', text: init.text, type, loc: b.locOf(init) }, next: -1, loc });
        continue;
      }
      b.emit({ op: 'assign', target, value: this.x.value(init), next: -1, loc });
    }
  }

  /** `while` and `for`: head (condition) → body → update → jump back to the head. */
  private loop(cond: SyntaxNode | null, body: SyntaxNode | null, update: SyntaxNode | null | undefined, loc: Loc): void {
    const b = this.b;
    const head = b.steps.length;
    const k = constantCondition(cond, this.b.abi);
    let exits: Slot[] = [];
    if (cond && k === undefined) {
      const r = this.x.condition(cond);
      b.cur = r.t;
      exits = r.f;
    } else if (k === 0n) {
      return; // never entered: the body is dead code and is not lowered
    }
    const ctx: LoopContext = { breaks: [], continues: [] };
    this.loops.push(ctx);
    if (body) this.statement(body);
    this.loops.pop();
    b.cur = [...b.cur, ...ctx.continues!];
    if (update) this.x.effect(update);
    const back = b.jump(loc, 'loop');
    b.patch([back], head);
    b.cur = [...exits, ...ctx.breaks];
  }

  private doLoop(node: SyntaxNode, loc: Loc): void {
    const b = this.b;
    void loc;
    const head = b.steps.length;
    const ctx: LoopContext = { breaks: [], continues: [] };
    this.loops.push(ctx);
    const body = node.childForFieldName('body');
    if (body) this.statement(body);
    this.loops.pop();
    b.cur = [...b.cur, ...ctx.continues!];
    const cond = node.childForFieldName('condition');
    const k = constantCondition(cond, this.b.abi);
    if (cond && k === undefined) {
      const r = this.x.condition(cond);
      b.patch(r.t, head);
      b.cur = [...r.f, ...ctx.breaks];
    } else if (k !== undefined && k !== 0n) {
      const back = b.jump(b.locOf(cond!), 'loop');
      b.patch([back], head);
      b.cur = ctx.breaks;
    } else {
      b.cur = [...b.cur, ...ctx.breaks];
    }
  }

  /** `switch`: the value once, then `==` tests in case order, default last; bodies fall through. */
  private switchStatement(node: SyntaxNode, loc: Loc): void {
    const b = this.b;
    let subject = this.x.value(node.childForFieldName('condition')!);
    if (subject.k !== 'name' && subject.k !== 'const') {
      const t = b.temp(subject.type, loc);
      b.emit({ op: 'assign', target: t, value: subject, next: -1, loc });
      subject = t;
    }
    const cases = (node.childForFieldName('body')?.namedChildren ?? []).filter((c): c is SyntaxNode => c?.type === 'case_statement');
    const entries: Slot[][] = cases.map(() => []);
    let defaultIndex = -1;
    cases.forEach((c, i) => {
      const v = c.childForFieldName('value');
      if (!v) { defaultIndex = i; return; }
      const value = this.x.value(v);
      const r = b.branch({ k: 'binary', op: '==', left: subject, right: value, type: T.int, loc: b.locOf(v) }, b.locOf(c));
      appendAll(entries[i]!, r.t);
      b.cur = r.f;
    });
    let noMatch = b.cur;
    if (defaultIndex >= 0) { appendAll(entries[defaultIndex]!, noMatch); noMatch = []; }
    const ctx: LoopContext = { breaks: [] };
    this.loops.push(ctx);
    b.cur = [];
    cases.forEach((c, i) => {
      b.cur = [...b.cur, ...entries[i]!];
      const value = c.childForFieldName('value');
      for (const s of c.namedChildren) if (s && s !== value && s.type !== 'comment') this.statement(s);
    });
    this.loops.pop();
    b.cur = [...b.cur, ...noMatch, ...ctx.breaks];
  }
}
