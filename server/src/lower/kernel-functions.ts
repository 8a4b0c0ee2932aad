/**
 * Return types of kernel functions that patches of the era call, so that expressions built on
 * their results carry the right C type. A function not listed returns int, as an implicitly
 * declared function does in C89. Whether the model implements a function is the model's
 * business, not lowering's.
 */
import type { CType } from '../ir/step-program';
import { forAbi, T, TYPEDEFS, type Abi } from './ctypes';

const page: CType = { t: 'ptr', to: { t: 'struct', name: 'page' } };

export const RETURN_TYPES: Record<string, CType> = {
  pagevec_lookup: T.uint, pagevec_count: T.uint, pagevec_space: T.uint,
  find_get_page: page, find_lock_page: page, find_or_create_page: page, grab_cache_page: page, nopage: page,
  filemap_nopage: page, page_cache_alloc: page,
  iov_length: TYPEDEFS.size_t!, direct_IO: TYPEDEFS.ssize_t!, generic_file_direct_IO: TYPEDEFS.ssize_t!,
  i_size_read: TYPEDEFS.loff_t!, invalidate_mapping_pages: T.ulong, invalidate_inode_pages: T.ulong,
  page_address: T.voidPtr, kmap: T.voidPtr, kmap_atomic: T.voidPtr,
  page_mapping: { t: 'ptr', to: { t: 'struct', name: 'address_space' } },
  pte_offset_map: { t: 'ptr', to: { t: 'struct', name: 'pte_t' } },
  mk_pte: { t: 'struct', name: 'pte_t' },
  list_empty: T.int,
  // Everything that tests a flag or returns an error code is int (the default).
};

export function returnType(callee: string, abi: Abi): CType {
  return forAbi((Object.hasOwn(RETURN_TYPES, callee) ? RETURN_TYPES[callee] : undefined) ?? T.int, abi);
}
