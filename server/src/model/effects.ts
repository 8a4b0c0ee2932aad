/**
 * What a step did, in words, for trace tables: the difference between the state before and after
 * it, on pages ("page 0: uptodate→no"), ptes, the disk, iocbs, inode sizes and thread status.
 * Only what changed is described; reference-count ghosts are left out.
 */
import type { StepResult } from './step-result';
import type { Page, State } from './state';

/**
 * A step's result with its words (`effects`, `first` before them) written only when read: traces
 * read them, the searches never do. Made here, not in the step: a getter made there would keep
 * the step's whole scope (its draft, the recording view of the state) alive with the result.
 */
export function withEffects(before: State, r: Omit<StepResult, 'effects'>, first?: string): StepResult {
  return new Stepped(before, r, first);
}

/**
 * The result as a class whose `effects` is a getter on the prototype: an object literal spreading
 * the result beside a getter of its own was a new accessor-holding object for every step (a
 * dictionary-mode object with a closure, about 3% of what a search allocated). The getter lives on
 * the prototype, so a copy by spread or structured clone would lose it: results stay in the process
 * that made them (traces read `effects` directly).
 */
class Stepped implements StepResult {
  readonly state: State;
  readonly record: StepResult['record'];
  readonly returns: StepResult['returns'];
  readonly violations: StepResult['violations'];
  readonly notes: string[];
  readonly reads: string[];
  readonly writes: string[];
  readonly choices: number;

  constructor(private readonly before: State, r: Omit<StepResult, 'effects'>, private readonly first: string | undefined) {
    this.state = r.state;
    this.record = r.record;
    this.returns = r.returns;
    this.violations = r.violations;
    this.notes = r.notes;
    this.reads = r.reads;
    this.writes = r.writes;
    this.choices = r.choices;
  }

  get effects(): string[] {
    const e = describeChanges(this.before, this.state);
    return this.first === undefined ? e : [this.first, ...e];
  }
}

function yn(b: boolean): string {
  return b ? 'yes' : 'no';
}

function pageName(s: State, p: Page): string {
  const same = Object.values(s.pages).filter((q) => q.index === p.index).length;
  return same > 1 ? `page ${p.index} (#${p.id})` : `page ${p.index}`;
}

function pageChanges(a: Page | undefined, b: Page): string[] {
  const out: string[] = [];
  if (!a) return ['new'];
  if (a.index !== b.index) out.push(`index→${b.index}`);
  if (a.mapping !== b.mapping) out.push(b.mapping === null ? 'left the page cache' : 'added to the page cache');
  if (a.locked !== b.locked) out.push(b.locked === null ? 'unlocked' : `locked by ${b.locked}`);
  if (a.uptodate !== b.uptodate) out.push(`uptodate→${yn(b.uptodate)}`);
  if (a.dirty !== b.dirty) out.push(`dirty→${yn(b.dirty)}`);
  if (a.writeback !== b.writeback) out.push(`writeback→${yn(b.writeback)}`);
  if (a.buffers !== b.buffers) out.push(`buffers→${b.buffers}`);
  if (a.ptes.length !== b.ptes.length) out.push(`mapcount ${a.ptes.length}→${b.ptes.length}`);
  if (a.count !== b.count) out.push(`count ${a.count}→${b.count}`);
  if (a.data !== b.data) out.push(`data v${b.data}`);
  if (a.reading !== b.reading) out.push(b.reading ? 'read started' : 'read done');
  return out;
}

export function describeChanges(a: State, b: State): string[] {
  const out: string[] = [];
  if (a.pages !== b.pages) {
    for (const p of Object.values(b.pages)) {
      if (a.pages[p.id] === p) continue;
      const ch = pageChanges(a.pages[p.id], p);
      if (ch.length) out.push(`${pageName(b, p)}: ${ch.join(', ')}`);
    }
  }
  if (a.mms !== b.mms) {
    for (const mm of Object.values(b.mms)) {
      const old = a.mms[mm.id]?.ptes ?? {};
      for (const k of new Set([...Object.keys(old), ...Object.keys(mm.ptes)])) {
        const x = old[Number(k)];
        const y = mm.ptes[Number(k)];
        if (x && !y) out.push(`pte ${k}: unmapped${x.dirty ? ' (was dirty)' : ''}`);
        else if (!x && y) out.push(`pte ${k}: maps page ${b.pages[y.page]?.index ?? '?'}${y.dirty ? ', dirty' : ''}`);
        else if (x && y && (x.page !== y.page || x.dirty !== y.dirty)) out.push(`pte ${k}: ${y.dirty ? 'dirty' : 'clean'}`);
      }
    }
  }
  if (a.disk !== b.disk) {
    for (const k of Object.keys(b.disk)) if (a.disk[Number(k)] !== b.disk[Number(k)]) out.push(`disk ${k}: v${b.disk[Number(k)]}`);
  }
  if (a.inodes !== b.inodes) {
    for (const i of Object.values(b.inodes)) if (a.inodes[i.id]?.size !== i.size) out.push(`i_size→${i.size}`);
  }
  if (a.mappings !== b.mappings) {
    for (const m of Object.values(b.mappings)) {
      if (a.mappings[m.id]?.truncateCount !== m.truncateCount) out.push(`truncate_count→${m.truncateCount}`);
    }
  }
  if (a.iocbs !== b.iocbs) {
    for (const c of Object.values(b.iocbs)) {
      const o = a.iocbs[c.id];
      if (o && o.completions !== c.completions) out.push(`iocb ${c.id}: completed (${c.completions})`);
      if (o && o.queued !== c.queued) out.push(`iocb ${c.id}: queued`);
    }
  }
  for (const t of b.threads) {
    const o = a.threads.find((x) => x.name === t.name);
    if (!o) out.push(`${t.name} starts`);
    else if (o.status !== t.status && t.status === 'blocked') out.push(`${t.name} sleeps (${t.wait?.on ?? '?'})`);
    else if (o.status !== t.status && t.status === 'done') out.push(`${t.name} done`);
  }
  // A started thread (an I/O completion) leaves the state in the step that finishes it.
  for (const o of a.threads) if (o.status !== 'done' && !b.threads.some((t) => t.name === o.name)) out.push(`${o.name} done`);
  return out;
}
