/**
 * c-warning, the syntactic warnings, read from the tree-sitter tree of one function side:
 * -Wparentheses (`a << b + c`, `a && b || c`, `a & b == c`, `a < b < c`, assignment used as a
 * truth value), -Wempty-body (`if (x);`) and -Wmisleading-indentation.
 *
 * Positions: tree-sitter columns are UTF-8 bytes; they are taken as UTF-16 columns, which holds
 * for the ASCII C of kernel patches. Limits: macros are not expanded, so a warning hidden inside a
 * macro is missed and an operator that a macro would parenthesise is judged as written; code
 * inside ERROR nodes (text tree-sitter could not parse) is not looked at; misleading indentation
 * is only judged when the body is indented deeper than its `if` (mail code often loses indents).
 */
import type { SyntaxNode } from '../c/parser';
import type { CText } from '../functions/patch-function';
import type { Loc } from '../ir/step-program';
import type { RuleHit } from './rule';

const SHIFT = new Set(['<<', '>>']);
const ADDITIVE = new Set(['+', '-']);
const RELATIONAL = new Set(['<', '<=', '>', '>=']);
const COMPARISON = new Set(['<', '<=', '>', '>=', '==', '!=']);

function opOf(n: SyntaxNode | null): string | undefined {
  if (!n || n.type !== 'binary_expression') return undefined;
  return n.childForFieldName('operator')?.type;
}

/**
 * Maps a node to document coordinates; undefined for lines not in the document. `rows` maps rows
 * of the parsed text to lines of the CText (-1 for lines lowering synthesised around a fragment).
 */
export function nodeLoc(n: SyntaxNode, c: CText, rows?: readonly number[]): Loc | undefined {
  const row = (r: number) => (rows ? rows[r] ?? -1 : r);
  if (c.source.kind !== 'document') return undefined;
  const s = c.map[row(n.startPosition.row)];
  const e = c.map[row(n.endPosition.row)];
  if (!s || !e || s.line < 0 || e.line < 0) return undefined;
  return { line: s.line, col: s.character + n.startPosition.column, endLine: e.line, endCol: e.character + n.endPosition.column };
}

const norm = (t: string) => t.replace(/\s+/g, '');

/** gcc's message for operand `inner` (operator `i`) directly inside operator `o`, if it gives one. */
function parenthesesMessage(o: string, i: string): string | undefined {
  if (SHIFT.has(o) && ADDITIVE.has(i)) return `suggest parentheses around '${i}' inside '${o}'`;
  if (o === '||' && i === '&&') return `suggest parentheses around '&&' within '||'`;
  if (o === '&' && (ADDITIVE.has(i) || COMPARISON.has(i))) return COMPARISON.has(i) ? `suggest parentheses around comparison in operand of '&'` : `suggest parentheses around '${i}' in operand of '&'`;
  if ((o === '|' || o === '^') && COMPARISON.has(i)) return `suggest parentheses around comparison in operand of '${o}'`;
  if (o === '|' && (ADDITIVE.has(i) || i === '&' || i === '^')) return `suggest parentheses around arithmetic in operand of '|'`;
  if (o === '^' && (ADDITIVE.has(i) || i === '&')) return `suggest parentheses around arithmetic in operand of '^'`;
  if (RELATIONAL.has(o) && RELATIONAL.has(i)) return `comparisons like 'X<=Y<=Z' do not have their mathematical meaning`;
  if ((o === '==' || o === '!=') && COMPARISON.has(i)) return `suggest parentheses around comparison in operand of '${o}'`;
  return undefined;
}

const WHY: Record<string, string> = {
  shift: 'the shift binds looser than the arithmetic, so the expression is not grouped the way it reads',
  default: 'operator precedence here is easy to misread, and gcc asks for the grouping to be spelled out',
};

export function syntaxWarnings(root: SyntaxNode, c: CText, rows?: readonly number[]): RuleHit[] {
  const hits: RuleHit[] = [];
  const add = (n: SyntaxNode, message: string, key: string) => {
    const loc = nodeLoc(n, c, rows);
    if (loc) hits.push({ rule: 'c-warning', loc, message, key });
  };
  const conditionOf = (n: SyntaxNode): SyntaxNode | null => {
    const cond = n.childForFieldName('condition');
    if (!cond) return null;
    if (cond.type === 'parenthesized_expression') return cond.namedChildren.find((x) => x && !x.isExtra) ?? null;
    return cond;
  };
  /** The checks at one node (the walk below goes through its children). */
  const visit = (n: SyntaxNode): void => {
    const o = opOf(n);
    if (o) {
      for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) {
        const i = opOf(side);
        const msg = i ? parenthesesMessage(o, i) : undefined;
        if (side && i && msg) {
          const why = SHIFT.has(o) ? WHY.shift : WHY.default;
          add(side, `${msg} [-Wparentheses]: ${why}.`, `parentheses:${o}:${norm(n.text)}`);
        }
      }
    }
    if (['if_statement', 'while_statement', 'do_statement', 'for_statement'].includes(n.type)) {
      const cond = conditionOf(n);
      if (cond && cond.type === 'assignment_expression' && cond.childForFieldName('operator')?.type === '=') {
        add(cond, `suggest parentheses around assignment used as truth value [-Wparentheses]: '=' here may be a mistyped '=='.`, `assign-cond:${norm(cond.text)}`);
      }
    }
    if (n.type === 'if_statement') checkIf(n, add);
  };
  // An explicit stack, not recursion: 3,000 nested blocks overflowed Node's stack here (fuzz
  // fixture deep-blocks-3000.patch). Children go on in reverse so nodes are visited in order.
  const stack: SyntaxNode[] = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.type === 'ERROR') continue;
    visit(n);
    const kids = n.namedChildren;
    for (let k = kids.length - 1; k >= 0; k--) if (kids[k]) stack.push(kids[k]!);
  }
  return hits;
}

function isEmptyStatement(n: SyntaxNode | null): boolean {
  return !!n && n.type === 'expression_statement' && n.namedChildCount === 0;
}

function checkIf(n: SyntaxNode, add: (n: SyntaxNode, message: string, key: string) => void): void {
  const body = n.childForFieldName('consequence');
  const alt = n.childForFieldName('alternative');
  const cond = n.childForFieldName('condition');
  if (body && isEmptyStatement(body) && !alt && cond && body.startPosition.row === cond.endPosition.row) {
    add(body, `suggest braces around empty body in an 'if' statement [-Wempty-body]: the ';' ends the 'if', so the next statement always runs.`, `empty-body:${norm(cond.text)}`);
  }
  const elseBody = alt?.type === 'else_clause' ? alt.namedChildren.find((x) => x && !x.isExtra) ?? null : alt;
  if (alt && elseBody && isEmptyStatement(elseBody) && elseBody.startPosition.row === alt.startPosition.row) {
    add(elseBody, `suggest braces around empty body in an 'else' statement [-Wempty-body].`, `empty-body-else:${norm(n.text)}`);
  }
  // Misleading indentation: `if (x)\n\tfoo();\n\tbar();` — bar() looks guarded but is not.
  if (!body || body.type === 'compound_statement' || alt) return;
  const next = n.nextNamedSibling;
  if (!next || next.isExtra) return;
  const ifCol = n.startPosition.column;
  const bodyCol = body.startPosition.column;
  if (body.startPosition.row === n.startPosition.row || bodyCol <= ifCol) return;
  if (next.startPosition.row > body.endPosition.row && next.startPosition.column === bodyCol) {
    add(next, `this statement is indented as if guarded by the 'if', but it is not [-Wmisleading-indentation].`, `misleading-indentation:${norm(next.text)}`);
  }
}
