/**
 * The step program: what lowering makes of a C function and what the static rules, the model's
 * interpreter and the explorer all read. One flat array of steps per function; every step names
 * its successors by index, so the array is the control-flow graph.
 *
 * Calls are never nested inside expressions: lowering hoists each call into its own `call` step
 * whose result lands in a temporary (`$t1`, `$t2`, ...). Expressions are therefore pure apart
 * from memory reads, and `&&`, `||` and `?:` inside them are evaluated lazily by the evaluator.
 */

/** A source span. Lines and columns are 0-based, in the document (patch code) or in the model
 *  library file (model code) that the function came from. */
/**
 * A position in the analysed document. Negative lines lie outside it: -1 is unknown, and lines
 * below -1 (`libraryLocLine`) are lines of a spliced body that it took from the model library
 * (the program keeps each such line's layer file and line, `ProgramFunction.library`).
 */
export interface Loc {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** The Loc line standing for 0-based line `n` of a spliced body's text, a line it took from the library. */
export function libraryLocLine(n: number): number {
  return -2 - n;
}

/** The line of the spliced body's text a Loc line stands for, or undefined for a document line (or -1). */
export function fromLibraryLocLine(line: number): number | undefined {
  return line <= -2 ? -2 - line : undefined;
}

/** C types as gcc on x86-64 sees them (LP64): int 32, long 64, pointers 64. */
export type CType =
  | { t: 'int'; bits: 8 | 16 | 32 | 64; signed: boolean; name?: string }
  | { t: 'bool' }
  | { t: 'ptr'; to: CType }
  | { t: 'struct'; name: string }
  | { t: 'array'; of: CType; length?: number }
  | { t: 'void' }
  | { t: 'fn' }
  | { t: 'unknown' };

export type UnaryOp = '-' | '+' | '!' | '~' | '*' | '&';
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '<<' | '>>' | '&' | '|' | '^'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&&' | '||';

export type Expr =
  /** Integer constant, after macro expansion (`PAGE_CACHE_SHIFT`, `-EIO`, `WRITE`, ...). */
  | { k: 'const'; value: bigint; type: CType; loc: Loc; text?: string }
  | { k: 'str'; value: string; type: CType; loc: Loc }
  /** A variable: local, parameter, or a global object of the model (e.g. `swapper_space`). */
  | { k: 'name'; name: string; scope: 'local' | 'param' | 'global'; type: CType; loc: Loc }
  | { k: 'member'; object: Expr; field: string; arrow: boolean; type: CType; loc: Loc }
  | { k: 'index'; object: Expr; index: Expr; type: CType; loc: Loc }
  | { k: 'unary'; op: UnaryOp; operand: Expr; type: CType; loc: Loc }
  | { k: 'binary'; op: BinaryOp; left: Expr; right: Expr; type: CType; loc: Loc }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; type: CType; loc: Loc }
  | { k: 'cast'; operand: Expr; type: CType; loc: Loc }
  /** `sizeof`, compound literals and other forms the model does not evaluate. */
  | { k: 'unknown'; text: string; type: CType; loc: Loc };

export type Step =
  /** `target = value` (compound assignments and `++`/`--` are spelled out as `target = target op v`). */
  | { op: 'assign'; target: Expr; value: Expr; next: number; loc: Loc }
  /**
   * A call. `callee` is the function's name: a plain identifier, or for a call through a
   * pointer the member name (`direct_IO` for `mapping->a_ops->direct_IO(...)`), in which case
   * `through` holds the pointer expression. `result` is the temporary or lvalue receiving the value.
   */
  | { op: 'call'; callee: string; through?: Expr; args: Expr[]; result?: Expr; next: number; loc: Loc }
  | { op: 'branch'; cond: Expr; then: number; else: number; loc: Loc }
  | { op: 'jump'; to: number; loc: Loc; kind?: 'goto' | 'break' | 'continue' | 'loop' }
  | { op: 'return'; value?: Expr; loc: Loc }
  /** A local comes into scope; its value is indeterminate until assigned. */
  | { op: 'declare'; name: string; type: CType; next: number; loc: Loc };

export interface Variable {
  name: string;
  type: CType;
  loc: Loc;
}

/** Something lowering could not turn into steps faithfully; analysis goes on without it. */
export interface LowerNote {
  kind: 'unsupported' | 'unmodeled' | 'syntax';
  message: string;
  loc: Loc;
}

export interface FunctionIR {
  name: string;
  returnType: CType;
  params: Variable[];
  /** Locals and temporaries (`$tN`), all with distinct names. */
  locals: Variable[];
  steps: Step[];
  /** Index of the first step. A function with an empty body has a single `return` step. */
  entry: number;
  loc: Loc;
  notes: LowerNote[];
}
