/** Types from tree-sitter-c type specifiers and declarators (`struct page **p`, `int a[4]`, casts). */
import type { SyntaxNode } from '../c/parser';
import type { CType } from '../ir/step-program';
import { T, typeFromWords, type Abi } from './ctypes';

/** The type a specifier node names (`primitive_type`, `sized_type_specifier`, `struct_specifier`, ...). */
export function specifierType(node: SyntaxNode | null, abi: Abi): CType {
  if (!node) return T.int; // C89 implicit int
  if (node.type === 'struct_specifier' || node.type === 'union_specifier') {
    return { t: 'struct', name: node.childForFieldName('name')?.text ?? '?' };
  }
  if (node.type === 'enum_specifier') return T.int;
  return typeFromWords(node.text, abi);
}

/** The qualifier-free base type of a declaration, parameter or type descriptor node. */
export function baseType(decl: SyntaxNode, abi: Abi): CType {
  // Words such as `unsigned` may be spread over several children in older grammar shapes.
  return specifierType(decl.childForFieldName('type'), abi);
}

/** Walks a declarator, building the declared type around `base`; returns the name it declares. */
export function declarator(base: CType, node: SyntaxNode | null): { name?: string; type: CType; node?: SyntaxNode } {
  let type = base;
  let n = node;
  while (n) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: n.text, type, node: n };
      case 'init_declarator':
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
        n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
        break;
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        type = { t: 'ptr', to: type };
        n = n.childForFieldName('declarator');
        break;
      case 'array_declarator':
      case 'abstract_array_declarator': {
        const size = n.childForFieldName('size');
        const len = size?.type === 'number_literal' ? Number.parseInt(size.text, 0 || 10) : undefined;
        type = { t: 'array', of: type, length: Number.isFinite(len) ? len : undefined };
        n = n.childForFieldName('declarator');
        break;
      }
      case 'function_declarator':
      case 'abstract_function_declarator':
        // A function pointer: `int (*fn)(int)` declares fn as pointer to function.
        type = { t: 'fn' };
        n = n.childForFieldName('declarator');
        break;
      default:
        return { type };
    }
  }
  return { type };
}

/** The type of a `type_descriptor` (casts, sizeof). */
export function descriptorType(node: SyntaxNode, abi: Abi): CType {
  return declarator(baseType(node, abi), node.childForFieldName('declarator')).type;
}
