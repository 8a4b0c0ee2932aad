/**
 * The control-flow graph under construction: steps appended in order, the "open slots" whose
 * successor is whatever step comes next, labels, temporaries, scopes and notes. Expression and
 * statement lowering (expr.ts, stmt.ts) drive it; positions go through `locOf` so every step
 * carries a document (or library) location.
 */
import type { CType, Expr, Loc, LowerNote, Step, Variable } from '../ir/step-program';
import type { SyntaxNode } from '../c/parser';
import type { Abi } from './ctypes';

/** A successor field of a step that is not known yet. */
export interface Slot {
  step: number;
  key: 'next' | 'then' | 'else' | 'to';
}

/** Maps a row/column of the parsed text to a Loc. */
export type LocMapper = (row: number, col: number) => { line: number; col: number };

export class Builder {
  readonly steps: Step[] = [];
  readonly notes: LowerNote[] = [];
  readonly locals: Variable[] = [];
  readonly params: Variable[] = [];
  /** Slots to bind to the next emitted step. Empty: the code that follows is unreachable. */
  cur: Slot[] = [];
  private scopes: Map<string, Variable>[] = [new Map()];
  private used = new Set<string>();
  private temps = 0;
  private labelAt = new Map<string, number>();
  private labelWaiting: string[] = [];
  private gotos: { label: string; slot: Slot; loc: Loc }[] = [];
  /** In a fragment, names declared out of view become parameters of unknown type. */
  implicitParams = false;
  /** The kernel release whose macro values the code is lowered with (undefined: the base table). */
  era: string | undefined;

  /** The data model the code is lowered for (DESIGN section 13). */
  constructor(private readonly mapLoc: LocMapper, readonly abi: Abi) {}

  locOf(node: SyntaxNode): Loc {
    const s = this.mapLoc(node.startPosition.row, node.startPosition.column);
    const e = this.mapLoc(node.endPosition.row, node.endPosition.column);
    return { line: s.line, col: s.col, endLine: e.line, endCol: e.col };
  }

  note(kind: LowerNote['kind'], message: string, loc: Loc): void {
    if (this.notes.some((n) => n.kind === kind && n.message === message && n.loc.line === loc.line && n.loc.col === loc.col)) return;
    this.notes.push({ kind, message, loc });
  }

  /** Appends a step, binding every open slot (and waiting label) to it. Returns its index. */
  emit(step: Step): number {
    const idx = this.steps.length;
    this.steps.push(step);
    for (const s of this.cur) (this.steps[s.step] as unknown as Record<string, number>)[s.key] = idx;
    for (const l of this.labelWaiting) this.labelAt.set(l, idx);
    this.labelWaiting = [];
    this.cur = [];
    if (step.op === 'assign' || step.op === 'call' || step.op === 'declare') this.cur = [{ step: idx, key: 'next' }];
    return idx;
  }

  /** Emits a branch and returns its two open slots (the caller decides where each goes). */
  branch(cond: Expr, loc: Loc): { t: Slot[]; f: Slot[] } {
    const idx = this.emit({ op: 'branch', cond, then: -1, else: -1, loc });
    return { t: [{ step: idx, key: 'then' }], f: [{ step: idx, key: 'else' }] };
  }

  /** Emits a jump whose target is not known yet; returns its slot. */
  jump(loc: Loc, kind: 'goto' | 'break' | 'continue' | 'loop'): Slot {
    const idx = this.emit({ op: 'jump', to: -1, loc, kind });
    return { step: idx, key: 'to' };
  }

  /** Points slots at a step that already exists. */
  patch(slots: Slot[], target: number): void {
    for (const s of slots) (this.steps[s.step] as unknown as Record<string, number>)[s.key] = target;
  }

  label(name: string): void {
    this.labelWaiting.push(name);
  }

  goto(name: string, loc: Loc): void {
    this.gotos.push({ label: name, slot: this.jump(loc, 'goto'), loc });
  }

  pushScope(): void { this.scopes.push(new Map()); }
  popScope(): void { if (this.scopes.length > 1) this.scopes.pop(); }

  /** Declares a local (or parameter); a name used before in the function gets a distinct spelling. */
  declare(name: string, type: CType, loc: Loc, param = false): Variable {
    let unique = name;
    for (let k = 2; this.used.has(unique); k++) unique = `${name}@${k}`;
    this.used.add(unique);
    const v: Variable = { name: unique, type, loc };
    (param ? this.params : this.locals).push(v);
    (param ? this.scopes[0]! : this.scopes[this.scopes.length - 1]!).set(name, v);
    return v;
  }

  lookup(name: string): { v: Variable; param: boolean } | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return { v, param: this.params.includes(v) };
    }
    return undefined;
  }

  /** A fresh temporary `$tN` of the given type. */
  temp(type: CType, loc: Loc): Expr {
    let name: string;
    do { name = `$t${++this.temps}`; } while (this.used.has(name));
    this.used.add(name);
    this.locals.push({ name, type, loc });
    return { k: 'name', name, scope: 'local', type, loc };
  }

  /**
   * Closes the function: open paths and labels with no code after them reach an implicit
   * `return`; gotos are bound to their labels (an unknown label is a syntax note and returns).
   */
  finish(endLoc: Loc): number {
    let ret = -1;
    if (this.cur.length > 0 || this.labelWaiting.length > 0 || this.steps.length === 0) ret = this.emit({ op: 'return', loc: endLoc });
    for (const g of this.gotos) {
      let at = this.labelAt.get(g.label);
      if (at === undefined) {
        this.note('syntax', `goto to a label that is not in the code: ${g.label}`, g.loc);
        if (ret < 0) ret = this.emit({ op: 'return', loc: endLoc });
        at = ret;
      }
      this.patch([g.slot], at);
    }
    // Slots left open by code after which nothing follows (a break outside any loop, say).
    for (const s of this.steps) {
      for (const key of ['next', 'then', 'else', 'to'] as const) {
        const rec = s as unknown as Record<string, number>;
        if (rec[key] === -1) {
          if (ret < 0) ret = this.emit({ op: 'return', loc: endLoc });
          rec[key] = ret;
        }
      }
    }
    return 0;
  }
}
