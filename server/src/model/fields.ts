/**
 * The field table: what `page->mapping`, `mapping->nrpages`, `inode->i_size`, `pvec.pages[i]` and
 * the other member accesses of the library C mean on the model's objects. Reads of lock and list
 * fields give a reference to that field, so `&mm->page_table_lock` names the lock. A field the
 * table does not know returns undefined: the interpreter then notes it and picks a value.
 * Limits: every vma starts at address 0 (it maps the file from page vm_pgoff); a dentry is its inode.
 */
import type { Draft } from './draft';
import { isRef, mkRef, type Ref, type Value } from './values';

const S_IFREG = 0o100000n;
const VM_SHARED = 0x8n;
/** Fields that are locks, lists or other embedded objects: reading one yields its address. */
const EMBEDDED = new Set([
  'page_table_lock', 'mmap_sem', 'i_mmap', 'i_mmap_shared', 'i_mmap_nonlinear', 'i_shared_sem',
  'i_mmap_lock', 'tree_lock', 'page_lock', 'private_lock', 'i_sem', 'i_mutex', 'i_alloc_sem',
  'private_list', 'page_tree', 'ki_list', 'ki_run_list',
]);

/** The thread owning a thread-local struct: its id is `<thread>#<n>`. */
export function structOwner(id: string): string {
  return id.slice(0, id.lastIndexOf('#'));
}

export function readStruct(d: Draft, id: string): Record<string, Value> | undefined {
  return d.peekThread(structOwner(id))?.structs[id];
}

export function readField(d: Draft, r: Ref, field: string): Value | undefined {
  const s = d.s;
  const id = Number(r.id);
  if (EMBEDDED.has(field) && r.ref !== 'struct') return mkRef(r.ref, r.id, field);
  switch (r.ref) {
    case 'struct': return readStruct(d, r.id)?.[field];
    case 'page': {
      const p = s.pages[id];
      if (!p) return undefined;
      switch (field) {
        case 'mapping': return p.mapping === null ? 0n : mkRef('mapping', p.mapping);
        case 'index': return BigInt(p.index);
        case '_count': return BigInt(p.count);
        case '_mapcount': return BigInt(p.ptes.length - 1);
        case 'private': return p.buffers === 'none' ? 0n : mkRef('page', id, 'buffers');
        case 'flags': return 0n;
      }
      return undefined;
    }
    case 'mapping': {
      const m = s.mappings[id];
      if (!m) return undefined;
      switch (field) {
        case 'nrpages': return BigInt(Object.keys(m.pages).length);
        case 'truncate_count': return BigInt(m.truncateCount);
        case 'a_ops': return mkRef('ops', 'a_ops');
        case 'host': return mkRef('inode', m.host);
        case 'backing_dev_info': return mkRef('global', 'backing_dev_info');
        case 'gfp_mask': return 0n;
      }
      return undefined;
    }
    case 'inode': {
      const i = s.inodes[id];
      if (!i) return undefined;
      switch (field) {
        case 'i_size': return i.size;
        case 'i_mapping': case 'i_data': return mkRef('mapping', i.mapping);
        case 'i_mode': return S_IFREG;
        case 'i_blkbits': return 12n;
      }
      return undefined;
    }
    case 'dentry':
      return field === 'd_inode' ? mkRef('inode', r.id) : undefined;
    case 'file': {
      const f = s.files[id];
      if (!f) return undefined;
      switch (field) {
        case 'f_mapping': return mkRef('mapping', f.mapping);
        case 'f_dentry': return mkRef('dentry', f.inode);
        case 'f_op': return mkRef('ops', 'f_op');
        case 'f_flags': return 0n;
      }
      return undefined;
    }
    case 'vma': {
      const v = s.vmas[id];
      if (!v) return undefined;
      switch (field) {
        case 'vm_file': return mkRef('file', v.file);
        case 'vm_ops': return mkRef('ops', 'vm_ops');
        case 'vm_pgoff': return BigInt(v.pgoff);
        case 'vm_start': return 0n;
        case 'vm_end': return BigInt(v.pages) * 4096n;
        case 'vm_mm': return mkRef('mm', v.mm);
        case 'vm_flags': return VM_SHARED;
      }
      return undefined;
    }
    case 'mm':
      return undefined;
    case 'iocb': {
      const c = s.iocbs[id];
      if (!c) return undefined;
      switch (field) {
        case 'ki_filp': return mkRef('file', c.file);
        case 'ki_users': return 1n;
        case 'ki_pos': return c.pos ?? 0n;
        case 'ki_nbytes': return c.nbytes ?? 0n;
      }
      return undefined;
    }
    case 'var':
      return s.vars?.[field] ?? 0n;
    case 'ops':
      // The interpreter answers methods by flavour (ops.ts); a bare read names the method.
      return mkRef('fn', field);
    default:
      return undefined;
  }
}

/** Writes a field; returns false when the table has no such writable field. */
export function writeField(d: Draft, tid: string, r: Ref, field: string, v: Value): boolean {
  const id = Number(r.id);
  const int = typeof v === 'bigint' ? v : undefined;
  switch (r.ref) {
    case 'struct': {
      const owner = structOwner(r.id);
      const t = d.thread(owner === '' ? tid : owner);
      const st = t.structs[r.id];
      if (!st) return false;
      t.structs[r.id] = { ...st, [field]: v }; // replaced, not written: the base state shares it
      return true;
    }
    case 'page':
      if (field === 'index' && int !== undefined) { d.page(id).index = Number(int); return true; }
      if (field === 'mapping') { d.page(id).mapping = isRef(v) ? Number(v.id) : null; return true; }
      return false;
    case 'mapping':
      if (field === 'truncate_count' && int !== undefined) { d.mapping(id).truncateCount = Number(int); return true; }
      return false;
    case 'inode':
      if (field === 'i_size' && int !== undefined) { d.inode(id).size = int; return true; }
      return false;
    case 'var':
      if (int === undefined) return false;
      d.state.vars = { ...d.state.vars, [field]: int }; // replaced, not written: the base state shares it
      return true;
    case 'iocb':
      // A driver filling in its kiocb: the model's iocb already knows its file.
      if (field === 'ki_pos' && int !== undefined) { d.iocb(id).pos = int; return true; }
      if (field === 'ki_nbytes' && int !== undefined) { d.iocb(id).nbytes = int; return true; }
      return field === 'ki_filp';
    default:
      return false;
  }
}
