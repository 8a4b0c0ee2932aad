/**
 * C types as gcc sees them on x86-64 (LP64, the default) or i386 (ILP32, DESIGN section 13), and
 * the conversions C applies to them: integer promotion and the usual arithmetic conversions.
 * Typedef names of the kernel are kept in the `name` of integer types so messages can speak the
 * kernel's language. The tables below are written once, in LP64; `forAbi` narrows the types whose
 * width is the machine word (`long` and the typedefs built on it) to 32 bits for ILP32.
 */
import type { CType } from '../ir/step-program';

/** The C data model: gcc on x86-64 (`lp64`) or on i386 (`ilp32`). */
export type Abi = 'lp64' | 'ilp32';
export const ABIS: readonly Abi[] = ['lp64', 'ilp32'];

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

/**
 * Kernel typedefs of the era, as on x86-64 (see `forAbi` for i386). `atomic_t`, `spinlock_t`,
 * `pte_t` and friends are structs. On i386 `loff_t` and `u64` stay 64-bit; `sector_t` is taken as
 * `unsigned long` (a kernel built without CONFIG_LBD), `size_t`/`ssize_t`/`pgoff_t` follow `long`.
 */
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

/**
 * Names of the integer types that are as wide as the machine word: 64 bits on x86-64, 32 on i386.
 * `long long`, `loff_t` and `u64` are 64 bits on both.
 */
const WORD_SIZED = new Set(['long', 'unsigned long', 'size_t', 'ssize_t', 'pgoff_t', 'sector_t']);
const narrowed = new WeakMap<CType, CType>();

/**
 * The type `t` (written for LP64) has under `abi`: word-sized integers become 32-bit on ILP32.
 * The same object comes back for the same input, so types can still be compared by identity.
 */
export function forAbi(t: CType, abi: Abi): CType {
  if (abi === 'lp64' || t.t !== 'int' || t.bits !== 64 || !t.name || !WORD_SIZED.has(t.name)) return t;
  let n = narrowed.get(t);
  if (!n) narrowed.set(t, (n = { ...t, bits: 32 }));
  return n;
}

/** Bytes in a pointer under `abi`. */
export function pointerBytes(abi: Abi): number {
  return abi === 'ilp32' ? 4 : 8;
}

/** The type named by a C type specifier's words (`unsigned long`, `long long int`, `pgoff_t`, `struct page`). */
export function typeFromWords(text: string, abi: Abi): CType {
  return forAbi(lp64TypeFromWords(text), abi);
}

function lp64TypeFromWords(text: string): CType {
  const words = text.replace(/\b(const|volatile|register|static|extern|inline|__inline__|__always_inline|auto|__user|__iomem|__init|__read_mostly)\b/g, ' ').trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'struct' || words[0] === 'union') return { t: 'struct', name: words[1] ?? '?' };
  if (words[0] === 'enum') return T.int;
  if (words.length === 1 && Object.hasOwn(TYPEDEFS, words[0]!)) return TYPEDEFS[words[0]!]!;
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

/**
 * Width and signedness of an integer-like type; bool is 1 bit. Pointers are 64-bit unsigned here
 * under either ABI: the model's pointers are object references, compared but never truncated, so
 * their width only matters to `sizeof`, which `sizeOf` answers per ABI.
 */
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
 * The usual arithmetic conversions (C99 6.3.1.8). Ranks follow widths: on LP64 `long` and
 * `long long` are both 64 bits, on ILP32 `int` and `long` are both 32, and types of one width are
 * interchangeable for values (the result's shape is right; only its name may be the lower rank's).
 * An operand of unknown type leaves the result unknown.
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

/** `sizeof` of a type under `abi`, when the model knows it. */
export function sizeOf(t: CType, abi: Abi): number | undefined {
  if (t.t === 'int') { const n = forAbi(t, abi); return n.t === 'int' ? n.bits / 8 : undefined; }
  if (t.t === 'bool') return 1;
  if (t.t === 'ptr') return pointerBytes(abi);
  if (t.t === 'array' && t.length !== undefined) {
    const e = sizeOf(t.of, abi);
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
