/**
 * C types as gcc on x86-64 sees them (LP64), and the conversions C applies to them: integer
 * promotion and the usual arithmetic conversions. Typedef names of the kernel are kept in the
 * `name` of integer types so messages can speak the kernel's language.
 */
import type { CType } from '../ir/types';

export const T = {
  bool: { t: 'bool' } as CType,
  char: { t: 'int', bits: 8, signed: true, name: 'char' } as CType,
  uchar: { t: 'int', bits: 8, signed: false, name: 'unsigned char' } as CType,
  short: { t: 'int', bits: 16, signed: true, name: 'short' } as CType,
  ushort: { t: 'int', bits: 16, signed: false, name: 'unsigned short' } as CType,
  int: { t: 'int', bits: 32, signed: true, name: 'int' } as CType,
  uint: { t: 'int', bits: 32, signed: false, name: 'unsigned int' } as CType,
  long: { t: 'int', bits: 64, signed: true, name: 'long' } as CType,
  ulong: { t: 'int', bits: 64, signed: false, name: 'unsigned long' } as CType,
  llong: { t: 'int', bits: 64, signed: true, name: 'long long' } as CType,
  ullong: { t: 'int', bits: 64, signed: false, name: 'unsigned long long' } as CType,
  void: { t: 'void' } as CType,
  unknown: { t: 'unknown' } as CType,
  voidPtr: { t: 'ptr', to: { t: 'void' } } as CType,
  charPtr: { t: 'ptr', to: { t: 'int', bits: 8, signed: true, name: 'char' } } as CType,
};

const named = (name: string, base: CType): CType => ({ ...(base as object), name } as CType);

/** Kernel typedefs of the era (x86-64). `atomic_t`, `spinlock_t`, `pte_t` and friends are structs. */
export const TYPEDEFS: Record<string, CType> = {
  pgoff_t: named('pgoff_t', T.ulong),
  size_t: named('size_t', T.ulong),
  sector_t: named('sector_t', T.ulong),
  ssize_t: named('ssize_t', T.long),
  loff_t: named('loff_t', T.llong),
  gfp_t: named('gfp_t', T.uint),
  pid_t: named('pid_t', T.int),
  u8: named('u8', T.uchar), u16: named('u16', T.ushort), u32: named('u32', T.uint), u64: named('u64', T.ullong),
  s8: named('s8', T.char), s16: named('s16', T.short), s32: named('s32', T.int), s64: named('s64', T.llong),
  __u32: named('__u32', T.uint), __u64: named('__u64', T.ullong),
  bool: T.bool, _Bool: T.bool,
  atomic_t: { t: 'struct', name: 'atomic_t' },
  spinlock_t: { t: 'struct', name: 'spinlock_t' },
  rwlock_t: { t: 'struct', name: 'rwlock_t' },
  pte_t: { t: 'struct', name: 'pte_t' },
  pmd_t: { t: 'struct', name: 'pmd_t' },
  pgprot_t: { t: 'struct', name: 'pgprot_t' },
  wait_queue_head_t: { t: 'struct', name: 'wait_queue_head_t' },
};

/** The type named by a C type specifier's words (`unsigned long`, `long long int`, `pgoff_t`, `struct page`). */
export function typeFromWords(text: string): CType {
  const words = text.replace(/\b(const|volatile|register|static|extern|inline|__inline__|__always_inline|auto|__user|__iomem|__init|__read_mostly)\b/g, ' ').trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'struct' || words[0] === 'union') return { t: 'struct', name: words[1] ?? '?' };
  if (words[0] === 'enum') return T.int;
  if (words.length === 1 && TYPEDEFS[words[0]!]) return TYPEDEFS[words[0]!]!;
  if (words.length === 1 && words[0] === 'void') return T.void;
  const has = (w: string) => words.filter((x) => x === w).length;
  const unsigned = has('unsigned') > 0;
  const known = words.every((w) => ['unsigned', 'signed', 'int', 'long', 'short', 'char'].includes(w));
  if (!known || words.length === 0) return T.unknown;
  if (has('char')) return unsigned ? T.uchar : T.char;
  if (has('short')) return unsigned ? T.ushort : T.short;
  if (has('long') >= 2) return unsigned ? T.ullong : T.llong;
  if (has('long') === 1) return unsigned ? T.ulong : T.long;
  return unsigned ? T.uint : T.int;
}

export function isInteger(t: CType): t is Extract<CType, { t: 'int' }> | { t: 'bool' } {
  return t.t === 'int' || t.t === 'bool';
}

export function isScalar(t: CType): boolean {
  return t.t === 'int' || t.t === 'bool' || t.t === 'ptr';
}

/** Width and signedness of an integer-like type; pointers are 64-bit unsigned; bool is 1 bit. */
export function intShape(t: CType): { bits: number; signed: boolean } | undefined {
  if (t.t === 'int') return { bits: t.bits, signed: t.signed };
  if (t.t === 'bool') return { bits: 1, signed: false };
  if (t.t === 'ptr' || t.t === 'fn') return { bits: 64, signed: false };
  return undefined;
}

/** Integer promotion: types narrower than int become int (every value of them fits in int). */
export function promote(t: CType): CType {
  if (t.t === 'bool') return T.int;
  if (t.t === 'int' && t.bits < 32) return T.int;
  return t;
}

/**
 * The usual arithmetic conversions (C99 6.3.1.8) for LP64. Ranks follow widths because `long`
 * and `long long` are both 64 bits here, which makes them interchangeable for values. An operand
 * of unknown type leaves the result unknown.
 */
export function commonType(a: CType, b: CType): CType {
  const pa = promote(a);
  const pb = promote(b);
  if (pa.t !== 'int' || pb.t !== 'int') return T.unknown;
  if (pa.bits === pb.bits && pa.signed === pb.signed) return pa;
  if (pa.signed === pb.signed) return pa.bits > pb.bits ? pa : pb;
  const [u, s] = pa.signed ? [pb, pa] : [pa, pb];
  if (u.bits >= s.bits) return u;
  return s; // the wider signed type holds every value of the narrower unsigned one
}

/** `sizeof` of a type, when the model knows it. */
export function sizeOf(t: CType): number | undefined {
  if (t.t === 'int') return t.bits / 8;
  if (t.t === 'bool') return 1;
  if (t.t === 'ptr') return 8;
  if (t.t === 'array' && t.length !== undefined) {
    const e = sizeOf(t.of);
    return e === undefined ? undefined : e * t.length;
  }
  return undefined;
}

export function typeText(t: CType): string {
  switch (t.t) {
    case 'int': return t.name ?? `${t.signed ? '' : 'unsigned '}int${t.bits}`;
    case 'bool': return '_Bool';
    case 'ptr': return `${typeText(t.to)} *`;
    case 'struct': return `struct ${t.name}`;
    case 'array': return `${typeText(t.of)}[${t.length ?? ''}]`;
    default: return t.t;
  }
}
