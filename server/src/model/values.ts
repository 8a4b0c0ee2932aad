/**
 * Values held by locals and object fields while the model runs C: integers as bigint, pointers to
 * model objects as references, arrays (a pagevec's pages[]) as lists. NULL is 0n.
 */

/** The kinds of model object a pointer can designate. `struct` is a thread-local struct (a
 *  pagevec, an iovec built by a driver); `ops` is an operations table; `fn` a function pointer. */
export type RefKind =
  | 'page' | 'mapping' | 'inode' | 'dentry' | 'file' | 'vma' | 'mm' | 'iocb'
  | 'struct' | 'ops' | 'fn' | 'str' | 'global'
  /** A plain shared variable (a litmus test's `int *x`): field is its name, held in `State.vars`. */
  | 'var'
  /** Page-table handles: a pmd (id: mm), a pte slot (id: `mm:index`), a pte value (id: page, field 'dirty' when dirty). */
  | 'pmd' | 'pte' | 'pteval';

/** A pointer to a model object, or with `field` to one of its fields (`&mapping->truncate_count`). */
export interface Ref {
  ref: RefKind;
  id: string;
  field?: string;
}

export interface ValueList {
  list: Value[];
}

export type Value = bigint | Ref | ValueList;

export function isRef(v: Value | undefined): v is Ref {
  return typeof v === 'object' && v !== null && 'ref' in v;
}

export function isList(v: Value | undefined): v is ValueList {
  return typeof v === 'object' && v !== null && 'list' in v;
}

export function mkRef(ref: RefKind, id: string | number, field?: string): Ref {
  return field === undefined ? { ref, id: String(id) } : { ref, id: String(id), field };
}

/** C truth: non-zero integers and non-NULL pointers are true. */
export function truthy(v: Value): boolean {
  if (typeof v === 'bigint') return v !== 0n;
  return true;
}

/** A stable name for what a reference designates, used for lock keys and touched sets. */
export function refKey(r: Ref): string {
  return r.field === undefined ? `${r.ref}:${r.id}` : `${r.ref}:${r.id}.${r.field}`;
}

export function sameValue(a: Value, b: Value): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b;
  if (isRef(a) && isRef(b)) return a.ref === b.ref && a.id === b.id && a.field === b.field;
  return false;
}

export function showValue(v: Value): string {
  if (typeof v === 'bigint') return v.toString();
  if (isRef(v)) return v.field ? `&${v.ref}${v.id}->${v.field}` : `${v.ref}${v.id}`;
  return `[${v.list.map(showValue).join(', ')}]`;
}
