/**
 * Field types of the kernel objects the model knows (x86-64, 2003-2007 era). Lowering uses them
 * to type `a->b` and `a.b`; a field missing here gets the unknown type, never an error.
 */
import type { CType } from '../ir/step-program';
import { forAbi, T, TYPEDEFS, type Abi } from './ctypes';

const ptr = (to: CType): CType => ({ t: 'ptr', to });
const s = (name: string): CType => ({ t: 'struct', name });
const td = (name: string): CType => TYPEDEFS[name]!;

export const STRUCT_FIELDS: Record<string, Record<string, CType>> = {
  page: {
    flags: T.ulong, index: td('pgoff_t'), mapping: ptr(s('address_space')), _count: s('atomic_t'),
    _mapcount: s('atomic_t'), private: T.ulong, lru: s('list_head'),
  },
  address_space: {
    host: ptr(s('inode')), nrpages: T.ulong, truncate_count: s('atomic_t'), a_ops: ptr(s('address_space_operations')),
    i_mmap: s('list_head'), i_mmap_shared: s('list_head'), i_shared_sem: s('semaphore'), i_mmap_lock: s('spinlock_t'),
    tree_lock: s('rwlock_t'), page_lock: s('spinlock_t'), page_tree: s('radix_tree_root'), flags: T.ulong,
    private_lock: s('spinlock_t'), private_list: s('list_head'), backing_dev_info: ptr(s('backing_dev_info')),
  },
  address_space_operations: {
    writepage: ptr({ t: 'fn' }), readpage: ptr({ t: 'fn' }), direct_IO: ptr({ t: 'fn' }), invalidatepage: ptr({ t: 'fn' }),
    releasepage: ptr({ t: 'fn' }), launder_page: ptr({ t: 'fn' }), set_page_dirty: ptr({ t: 'fn' }), prepare_write: ptr({ t: 'fn' }), commit_write: ptr({ t: 'fn' }),
  },
  inode: {
    i_size: td('loff_t'), i_mapping: ptr(s('address_space')), i_data: s('address_space'), i_sem: s('semaphore'),
    i_mode: T.ushort, i_ino: T.ulong, i_blkbits: T.uint,
  },
  file: { f_mapping: ptr(s('address_space')), f_dentry: ptr(s('dentry')), f_flags: T.uint, f_pos: td('loff_t') },
  dentry: { d_inode: ptr(s('inode')) },
  vm_area_struct: {
    vm_file: ptr(s('file')), vm_ops: ptr(s('vm_operations_struct')), vm_start: T.ulong, vm_end: T.ulong,
    vm_pgoff: T.ulong, vm_mm: ptr(s('mm_struct')), vm_flags: T.ulong, vm_page_prot: s('pgprot_t'),
  },
  vm_operations_struct: {
    nopage: ptr({ t: 'fn' }), populate: ptr({ t: 'fn' }), open: ptr({ t: 'fn' }), close: ptr({ t: 'fn' }), fault: ptr({ t: 'fn' }),
    page_mkwrite: ptr({ t: 'fn' }),
  },
  // 2.6.23's argument of ->fault.
  vm_fault: { flags: T.uint, pgoff: td('pgoff_t'), virtual_address: T.voidPtr, page: ptr(s('page')) },
  mm_struct: { page_table_lock: s('spinlock_t'), rss: T.ulong, mmap_sem: s('rw_semaphore') },
  pagevec: { nr: T.ulong, cold: T.ulong, pages: { t: 'array', of: ptr(s('page')), length: 14 } },
  iovec: { iov_base: T.voidPtr, iov_len: td('size_t') },
  kiocb: { ki_filp: ptr(s('file')), ki_pos: td('loff_t'), ki_nbytes: td('size_t'), ki_left: td('size_t') },
  atomic_t: { counter: T.int },
};

/** The type of `object.field` under `abi`, where `object` has type `t` (a struct, or a pointer to one for `->`). */
export function fieldType(t: CType, field: string, arrow: boolean, abi: Abi): CType {
  const st = arrow ? (t.t === 'ptr' ? t.to : undefined) : t;
  if (!st || st.t !== 'struct') return T.unknown;
  const fields = Object.hasOwn(STRUCT_FIELDS, st.name) ? STRUCT_FIELDS[st.name] : undefined;
  const f = fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
  return f ? forAbi(f, abi) : T.unknown;
}
