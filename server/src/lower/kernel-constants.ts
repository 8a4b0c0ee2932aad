/**
 * Kernel macros that lowering expands to integer constants, with the values and types of the
 * x86-64 kernels of 2003-2007, and of i386 through `kernelConstant(name, 'ilp32')`. A macro that
 * is a function call in the kernel (`PageDirty(p)`) is a call here; only object-like macros are
 * listed.
 */
import type { CType } from '../ir/step-program';
import { forAbi, intShape, T, type Abi } from './ctypes';
import { wrap } from './evaluate';

export interface KernelConstant {
  value: bigint;
  type: CType;
}

/** A constant as written for LP64; a function value is computed from the type's width in bits. */
interface ConstantDef {
  value: bigint | ((bits: number) => bigint);
  type: CType;
}

const c = (value: bigint | number, type: CType = T.int): ConstantDef => ({ value: BigInt(value), type });
const errno = (n: bigint | number) => c(n); // used as -EIO and so on: the macro itself is positive

/** -EIOCBQUEUED (include/linux/errno.h of these eras): what the engine itself compares results with. */
export const EIOCBQUEUED = 529n;

const KERNEL_CONSTANTS: Record<string, ConstantDef> = {
  PAGE_SHIFT: c(12), PAGE_CACHE_SHIFT: c(12),
  PAGE_SIZE: c(4096, T.ulong), PAGE_CACHE_SIZE: c(4096, T.ulong),
  // ~(PAGE_SIZE - 1) computed in unsigned long (wrapped to the word by `kernelConstant`).
  PAGE_MASK: c(~4095n, T.ulong), PAGE_CACHE_MASK: c(~4095n, T.ulong),
  // 16 from 2.6.x on; 14 in the 2.5/2.6 kernels of 2003-2004 that the seeds come from.
  PAGEVEC_SIZE: c(14),
  WB_SYNC_NONE: c(0),
  WB_SYNC_ALL: c(1),
  READ: c(0), WRITE: c(1), READA: c(2),
  NULL: { value: 0n, type: T.voidPtr },
  ULONG_MAX: c(-1n, T.ulong), LONG_MAX: { value: (bits) => (1n << BigInt(bits - 1)) - 1n, type: T.long },
  INT_MAX: c(2147483647), UINT_MAX: c(4294967295, T.uint),
  EPERM: errno(1), ENOENT: errno(2), EINTR: errno(4), EIO: errno(5), ENXIO: errno(6), E2BIG: errno(7),
  EBADF: errno(9), EAGAIN: errno(11), ENOMEM: errno(12), EACCES: errno(13), EFAULT: errno(14),
  ENOTBLK: errno(15), EBUSY: errno(16), EEXIST: errno(17), ENODEV: errno(19), EINVAL: errno(22),
  AOP_TRUNCATED_PAGE: c(0x80001), // ->readpage: the page was truncated meanwhile (2.6.15 on)
  EFBIG: errno(27), ENOSPC: errno(28), ESPIPE: errno(29), EROFS: errno(30), ERANGE: errno(34),
  ENOSYS: errno(38), EOPNOTSUPP: errno(95), EIOCBQUEUED: errno(EIOCBQUEUED), EIOCBRETRY: errno(530),
  // Fault results of 2.5/2.6 up to 2.6.12 (mm.h); later releases renumbered them (ERA_CONSTANTS).
  VM_FAULT_OOM: c(-1), VM_FAULT_SIGBUS: c(0), VM_FAULT_MINOR: c(1), VM_FAULT_MAJOR: c(2),
  // 2.6.23's new fault bits, which no earlier release defines (so no earlier code names them).
  VM_FAULT_NOPAGE: c(0x100), VM_FAULT_LOCKED: c(0x200), VM_FAULT_ERROR: c(3), FAULT_FLAG_WRITE: c(1), FAULT_FLAG_NONLINEAR: c(2),
  // ->nopage() error returns: pointers with the values ((struct page *) 0) and -1.
  NOPAGE_SIGBUS: { value: 0n, type: { t: 'ptr', to: { t: 'struct', name: 'page' } } },
  NOPAGE_OOM: { value: BigInt.asUintN(64, -1n), type: { t: 'ptr', to: { t: 'struct', name: 'page' } } },
  // 2.6.19 on: "return to user space and fault again" (NOPAGE_REFAULT, ((struct page *) -2)).
  NOPAGE_REFAULT: { value: BigInt.asUintN(64, -2n), type: { t: 'ptr', to: { t: 'struct', name: 'page' } } },
  // Allocation flags: the bits matter only as opaque arguments.
  GFP_KERNEL: c(0xd0, T.uint), GFP_ATOMIC: c(0x20, T.uint), GFP_NOFS: c(0x50, T.uint), GFP_HIGHUSER: c(0x1d2, T.uint),
  // Page flag bit numbers of 2.6.10.
  PG_locked: c(0), PG_error: c(1), PG_referenced: c(2), PG_uptodate: c(3), PG_dirty: c(4), PG_lru: c(5),
  PG_writeback: c(13),
  VM_SHARED: c(0x8, T.ulong), VM_WRITE: c(0x2, T.ulong), VM_READ: c(0x1, T.ulong),
  SYNC: c(1), ASYNC: c(0),
  O_DIRECT: c(0o40000), O_SYNC: c(0o10000),
  true: c(1, T.bool), false: c(0, T.bool),
};

/**
 * Macros whose value a release changed, by the first release of each value (mm.h as read in the
 * v2.6.13, v2.6.18 and v2.6.23 trees): 2.6.13 numbered the fault results 0x00-0x03 (OOM first),
 * 2.6.23 made them bits so that ->fault can add VM_FAULT_LOCKED and VM_FAULT_NOPAGE.
 * Code lowered without an era (the static tier) gets the base table above.
 */
const ERA_CONSTANTS: { from: number[]; defs: Record<string, ConstantDef> }[] = [
  { from: [2, 6, 13], defs: { VM_FAULT_OOM: c(0), VM_FAULT_SIGBUS: c(1), VM_FAULT_MINOR: c(2), VM_FAULT_MAJOR: c(3), VM_FAULT_WRITE: c(0x10) } },
  {
    from: [2, 6, 23],
    defs: {
      // VM_FAULT_ERROR is VM_FAULT_OOM | VM_FAULT_SIGBUS.
      VM_FAULT_MINOR: c(0), VM_FAULT_OOM: c(1), VM_FAULT_SIGBUS: c(2), VM_FAULT_MAJOR: c(4), VM_FAULT_WRITE: c(8),
    },
  },
];

/** Whether release `era` (e.g. `2.6.18.1`) is `from` or later. */
function atLeast(era: string, from: number[]): boolean {
  const v = era.split('.').map(Number);
  for (let i = 0; i < from.length; i++) if ((v[i] ?? 0) !== from[i]) return (v[i] ?? 0) > from[i]!;
  return true;
}

/** The definition of `name` in release `era` (the base table when no era is given). */
function definition(name: string, era: string | undefined): ConstantDef | undefined {
  let d = Object.hasOwn(KERNEL_CONSTANTS, name) ? KERNEL_CONSTANTS[name] : undefined;
  if (era === undefined) return d;
  for (const step of ERA_CONSTANTS) if (atLeast(era, step.from) && Object.hasOwn(step.defs, name)) d = step.defs[name];
  return d;
}

/**
 * The macro `name` under `abi` in release `era`, its value wrapped to its type's width;
 * undefined if unknown.
 */
export function kernelConstant(name: string, abi: Abi, era?: string): KernelConstant | undefined {
  const d = definition(name, era);
  if (!d) return undefined;
  const type = forAbi(d.type, abi);
  const shape = intShape(type);
  const raw = typeof d.value === 'function' ? d.value(shape?.bits ?? 64) : d.value;
  return { value: shape ? wrap(raw, shape.bits, shape.signed) : raw, type };
}

/** `-EIO` for -5n and so on: the errno macro a negative value spells, for trace tables; undefined for others. */
export function errnoName(v: bigint): string | undefined {
  if (v >= 0n) return undefined;
  for (const [name, d] of Object.entries(KERNEL_CONSTANTS)) if (name.startsWith('E') && d.value === -v) return `-${name}`;
  return undefined;
}

/** The type of the model's global `name` under `abi`; undefined if unknown. */
export function kernelGlobal(name: string, abi: Abi): CType | undefined {
  const t = Object.hasOwn(KERNEL_GLOBALS, name) ? KERNEL_GLOBALS[name] : undefined;
  return t && forAbi(t, abi);
}

/** Globals of the model that patch code may name as values. */
const KERNEL_GLOBALS: Record<string, CType> = {
  swapper_space: { t: 'struct', name: 'address_space' },
  jiffies: T.ulong,
  current: { t: 'ptr', to: { t: 'struct', name: 'task_struct' } },
};
