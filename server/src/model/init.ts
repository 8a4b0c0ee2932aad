/**
 * The initial state of a scenario: one inode with its mapping, one file, one process (mm) with one
 * shared vma over the whole file (or the part the scenario names), the pages of the scenario with their flags, buffers, ptes and
 * extra references, the disk (version 0 everywhere), and one thread per ThreadSpec.
 * Data versions: the disk starts at v0; a page dirty at the start holds a newer version (an earlier
 * write that has not reached the disk), and so does a page whose pte is dirty (an earlier store).
 */
import type { ArgSpec, ScenarioSpec } from '../scenarios/spec';
import type { Interpreter } from './interpreter';
import { copyState, makePage, type Iocb, type State } from './state';
import { mkRef, type Value } from './values';

const PAGE = 4096;

export function initialState(scenario: ScenarioSpec, interp: Interpreter): State {
  const s: State = {
    pages: {}, mappings: {}, inodes: {}, files: {}, vmas: {}, mms: {}, iocbs: {}, disk: {}, locks: {}, threads: [],
    ghost: { writes: [], failures: [] }, nextId: 1, clock: 1,
  };
  const nPages = Math.max(Math.ceil(scenario.file.size / PAGE), ...scenario.file.pages.map((p) => p.index + 1), 1);
  s.inodes[1] = { id: 1, size: BigInt(scenario.file.size), mapping: 1 };
  s.mappings[1] = { id: 1, host: 1, pages: {}, truncateCount: 0, vmas: [] };
  s.files[1] = { id: 1, inode: 1, mapping: 1 };
  s.mms[1] = { id: 1, ptes: {} };
  s.vmas[1] = { id: 1, mm: 1, file: 1, pgoff: scenario.vma?.pgoff ?? 0, pages: scenario.vma?.pages ?? nPages };
  // The disk is sparse: an index it does not list holds v0, so a file of any size costs nothing here.
  const usesVma = scenario.threads.some((t) => t.args.some((a) => typeof a === 'object' && 'ref' in a && (a.ref === 'vma' || a.ref === 'mm')));
  if (usesVma || scenario.file.pages.some((p) => p.mapped)) s.mappings[1].vmas = [1];
  for (const ps of scenario.file.pages) {
    if (ps.cached === false) continue;
    const id = s.nextId++;
    const uptodate = ps.uptodate ?? true;
    let data = uptodate ? 0 : -1;
    if (ps.dirty && uptodate) {
      data = s.clock++;
      s.ghost.writes.push({ index: ps.index, version: data, by: 'init', kind: 'init' });
    }
    const buffers = ps.buffers ?? (scenario.fs === 'ext3' ? (ps.dirty ? 'dirty' : 'clean') : 'none');
    const extra = ps.extraRefs ?? 0;
    const page = makePage({
      id, index: ps.index, mapping: 1, locked: null, uptodate, dirty: ps.dirty ?? false, writeback: ps.writeback ?? false,
      ptes: [], count: 1 + extra, buffers, data, pins: extra, dirtOrigin: ps.dirty || buffers === 'dirty' ? 'init' : null,
      reading: false, holders: {},
    });
    if (ps.mapped) {
      page.ptes = [`1:${ps.index}`];
      page.count++;
      if (ps.pteDirty && uptodate) {
        page.data = s.clock++;
        s.ghost.writes.push({ index: ps.index, version: page.data, by: 'init', kind: 'store' });
      }
      s.mms[1].ptes[ps.index] = { page: id, dirty: ps.pteDirty ?? false };
    }
    s.pages[id] = page;
    s.mappings[1].pages[ps.index] = id;
  }
  let iocbs = 0;
  const arg = (a: ArgSpec): Value => {
    if (typeof a === 'number') return BigInt(a);
    if ('ref' in a) return mkRef(a.ref, 1);
    const c: Iocb = { id: ++iocbs, sync: a.iocb.sync, file: 1, queued: false, completions: 0, result: null };
    s.iocbs[c.id] = c;
    return mkRef('iocb', c.id);
  };
  for (const t of scenario.threads) {
    const th = interp.newThread(t.name, t.entry, t.args.map(arg), t.repeat ?? false);
    if (th.frames.length === 0) th.status = 'done';
    s.threads.push(th);
  }
  // Copied as every later state is (copyState): V8 gives the literal above another hidden class,
  // and the first state of each search then deoptimised the code compiled on later ones.
  return copyState(s);
}
