/**
 * The operations tables (address_space_operations, vm_operations_struct) as each filesystem
 * flavour of the model fills them in, and what a call through a method runs: a library function
 * or a primitive. A method the flavour leaves NULL reads as NULL, so `if (a_ops->launder_page)`
 * sees it absent, and calling it is a NULL dereference (bug-on), never a silent no-op. A method
 * whose function the era's library does not have is NULL too: the release had no such method
 * (nfs_launder_page came with ->launder_page in 2.6.20).
 * Limits: ext3 and nfs only. A method no flavour here names (sync_page, prepare_write...) is
 * unmodeled: reading it gives a pointer, and calling it notes the call and picks a result.
 */
import type { ModelOptions } from './primitives/primitive';

// generic_file_vm_ops: .nopage = filemap_nopage until 2.6.22, .fault = filemap_fault from 2.6.23
// (each reads as NULL in the eras whose library lacks the function). Neither ext3 nor NFS had a
// ->page_mkwrite in these releases.
const COMMON: Record<string, string | null> = {
  readpage: 'readpage', writepage: 'writepage', direct_IO: 'direct_IO', nopage: 'filemap_nopage', fault: 'filemap_fault',
  page_mkwrite: null,
};

const METHODS: Record<ModelOptions['fs'], Record<string, string | null>> = {
  // ext3's aops of these releases have no ->launder_page.
  ext3: { ...COMMON, launder_page: null },
  // nfs_file_aops gained .launder_page = nfs_launder_page in 2.6.20 (January 2007).
  nfs: { ...COMMON, launder_page: 'nfs_launder_page' },
};

/**
 * What a call through method `name` runs on this flavour: a function name, null when the table
 * holds NULL there, or `name` itself for a method the model does not know. `exists` says whether
 * the era's library or the primitives have a function.
 */
export function resolveMethod(options: ModelOptions, name: string, exists: (fn: string) => boolean): string | null {
  const target = options.ops?.[name] ?? METHODS[options.fs][name];
  if (target === undefined) return name;
  return target !== null && exists(target) ? target : null;
}
