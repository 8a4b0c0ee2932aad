/**
 * Lowering: a function side's C text to its step program (DESIGN section 5). Parses with
 * tree-sitter-c, finds the function definition (a fragment is first wrapped into one, see
 * fragment.ts), and lowers its body with expr.ts and stmt.ts. Every Loc is mapped back through
 * CText.map to the document, or kept in the library file's own lines for library text.
 * Never throws on bad input: syntax errors become `syntax` notes and the rest is still lowered.
 * `initParser()` must have completed before the first call.
 */
import { parseC, type SyntaxNode } from '../c/parser';
import type { FunctionSide } from '../functions/patch-function';
import type { CType, FunctionIR, LowerNote } from '../ir/step-program';
import { Builder, type LocMapper } from './builder';
import { T, type Abi } from './ctypes';
import { baseType, declarator } from './decl';
import { ExprLowerer } from './expr';
import { FRAGMENT_NAME, fragmentText, isCutParam, wholeText, type ParseText } from './fragment';
import { StmtLowerer } from './stmt';
import { libraryLocLine } from '../ir/step-program';

/** Maps rows of the parsed text to document (or library) lines and columns. */
function mapperFor(side: FunctionSide, pt: ParseText): LocMapper {
  const { map, source } = side.c;
  const real = (row: number): number | undefined => {
    const r = pt.rows[row];
    return r !== undefined && r >= 0 ? r : undefined;
  };
  return (row, col) => {
    let line = real(row);
    let c = col;
    if (line === undefined) {
      // A synthetic row: point at the nearest real line before it (else after it), column 0.
      c = 0;
      for (let r = row - 1; r >= 0 && line === undefined; r--) line = real(r);
      for (let r = row + 1; r < pt.rows.length && line === undefined; r++) line = real(r);
      line ??= 0;
    }
    if (source.kind === 'library') return { line, col: c };
    const m = map[line];
    const from = side.c.origin?.[line];
    // A library line of a spliced body has no document line: keep its line of the body instead,
    // which the program traces to the layer file it came from (`ProgramFunction.library`).
    if (m && m.line < 0 && from !== undefined && from !== 'document') return { line: libraryLocLine(line), col: c };
    return m ? { line: m.line, col: m.character + c } : { line: -1, col: c };
  };
}

/** The function_definition named `name` in the tree, or the first one when no name is given. */
function findDefinition(root: SyntaxNode, name?: string): SyntaxNode | undefined {
  const defs = root.descendantsOfType('function_definition').filter((d): d is SyntaxNode => d !== null);
  if (name) {
    const named = defs.find((d) => definitionName(d) === name);
    if (named) return named;
  }
  return defs[0];
}

/** Name and return type of a definition: the declarator chain down to the function_declarator. */
function definitionHead(def: SyntaxNode, abi: Abi): { name?: string; returnType: CType; fn?: SyntaxNode } {
  let type = baseType(def, abi);
  let n = def.childForFieldName('declarator');
  while (n && n.type !== 'function_declarator') {
    if (n.type === 'pointer_declarator') type = { t: 'ptr', to: type };
    n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c !== null) ?? null;
  }
  const id = n?.childForFieldName('declarator');
  return { name: id?.type === 'identifier' ? id.text : undefined, returnType: type, fn: n ?? undefined };
}

function definitionName(def: SyntaxNode): string | undefined {
  return definitionHead(def, 'lp64').name;
}

/**
 * Deepest syntax tree that is lowered. Lowering (and the rules walking the expressions it builds)
 * recurses once or twice per level; past about 3,200 levels Node's default stack overflows
 * (measured on nested `if` blocks, parentheses, `+` chains and calls). Kernel code stays under a
 * hundred; 1,000 leaves room for the callers' own frames (language server, worker, test runner).
 */
export const MAX_TREE_DEPTH = 1000;

/** True when the tree under `node` is deeper than `limit` levels; walks with a cursor, not recursion. */
function deeperThan(node: SyntaxNode, limit: number): boolean {
  const c = node.walk();
  try {
    let depth = 0;
    for (;;) {
      if (c.gotoFirstChild()) {
        if (++depth > limit) return true;
        continue;
      }
      // Up until a sibling is found, never past `node` itself (its siblings are not below it).
      for (;;) {
        if (depth === 0) return false;
        if (c.gotoNextSibling()) break;
        c.gotoParent();
        depth--;
      }
    }
  } finally {
    c.delete();
  }
}

/** Adds a `syntax` note for every ERROR and MISSING node under `node`. */
function syntaxNotes(b: Builder, node: SyntaxNode): void {
  if (!node.hasError) return;
  if (node.isMissing) { b.note('syntax', `missing ${node.type}`, b.locOf(node)); return; }
  if (node.isError) { b.note('syntax', `cannot parse: ${node.text.slice(0, 60)}`, b.locOf(node)); return; }
  for (const c of node.children) if (c) syntaxNotes(b, c);
}

/**
 * Lowers one side of a function to its step program, with the C integer widths of `abi` and the
 * macro values of release `era` (fault codes were renumbered twice; without an era, the base table).
 */
export function lowerFunction(side: FunctionSide, name?: string, abi: Abi = 'lp64', era?: string): { ir?: FunctionIR; notes: LowerNote[] } {
  const fragment = !side.whole;
  const pt = fragment ? fragmentText(side.c) : wholeText(side.c);
  const mapper = mapperFor(side, pt);
  const b = new Builder(mapper, abi);
  b.era = era;
  let def: SyntaxNode | undefined;
  // Throws only when initParser() has not completed: a programming error, not bad input.
  const tree = parseC(pt.text);
  try {
    def = fragment ? findDefinition(tree.rootNode) : findDefinition(tree.rootNode, name);
    if (!def) {
      syntaxNotes(b, tree.rootNode);
      b.note('syntax', 'no function definition found in the code', b.locOf(tree.rootNode));
      return { notes: b.notes };
    }
    if (deeperThan(def, MAX_TREE_DEPTH)) {
      // A clear note instead of a stack overflow (fuzz fixtures deep-*.patch).
      b.note('unsupported', `code nested deeper than ${MAX_TREE_DEPTH} syntax levels: the function is not lowered and no flow rule checks it`, b.locOf(def));
      return { notes: b.notes };
    }
    syntaxNotes(b, def);
    const head = definitionHead(def, abi);
    b.implicitParams = fragment;
    for (const p of head.fn?.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!p || p.type !== 'parameter_declaration') continue;
      const d = declarator(baseType(p, abi), p.childForFieldName('declarator'));
      if (d.name && !isCutParam(d.name)) b.declare(d.name, d.type.t === 'array' ? { t: 'ptr', to: d.type.of } : d.type, b.locOf(p), true);
    }
    const x = new ExprLowerer(b);
    const s = new StmtLowerer(x, head.returnType);
    const body = def.childForFieldName('body');
    if (body) s.statement(body);
    const endLoc = body ? b.locOf(body) : b.locOf(def);
    b.finish({ line: endLoc.endLine, col: Math.max(0, endLoc.endCol - 1), endLine: endLoc.endLine, endCol: endLoc.endCol });
    const realName = head.name && head.name !== FRAGMENT_NAME ? head.name : name ?? '';
    const ir: FunctionIR = {
      name: fragment && name ? name : realName,
      returnType: head.name === FRAGMENT_NAME ? T.unknown : head.returnType,
      params: b.params,
      locals: b.locals,
      steps: b.steps,
      entry: 0,
      loc: b.locOf(def),
      notes: b.notes,
    };
    return { ir, notes: b.notes };
  } catch (e) {
    // A tree shape this code did not expect: report it rather than stop the analysis.
    b.note('unsupported', `lowering stopped: ${e instanceof Error ? e.message : String(e)}`, b.locOf(tree.rootNode));
    return { notes: b.notes };
  } finally {
    tree.delete();
  }
}
