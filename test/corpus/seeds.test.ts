// DESIGN section 11 as data: each seed document in, the whole set of (rule, status) pairs the
// static tier and the model reach out; a finding not listed fails, as does one listed and not
// found. Where a rule is about one function, the finding must lie on a line of it. Every verdict
// here is earned by running the patch's code on the era library: nothing in the engine knows
// these documents. Each entry says why the kernel deserves it; the ones DESIGN section 11 does
// not name were checked against the seed's code (and, for 002, the 2.6.20 source it shipped in).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedNames, seedsDir, seedsSkip } from '../support/seeds';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { Finding } from '../../server/src/findings';

interface Expect {
  rule: string;
  status: string;
  /** Functions one of whose lines the finding must lie on (the race window's victim may be either thread). */
  fn?: string[];
  /** The kernel reason the finding is deserved. */
  why: string;
}

const EXPECTED: Record<string, Expect[]> = {
  '000': [
    { rule: 'mapped-uptodate', status: 'fixed', fn: ['invalidate_inode_pages2'], why: 'pre ClearPageUptodate()s a page a pte still maps; post unmaps it first' },
    { rule: 'mapped-uptodate', status: 'narrowed', why: "2.6.10's invalidate_complete_page has no count check: a fault re-maps the page between the unmap loop and the drop" },
    { rule: 'dirty-uptodate', status: 'fixed', fn: ['invalidate_inode_pages2'], why: 'pre clears uptodate on a mapped page whose pte later dirties it again' },
    { rule: 'dirty-uptodate', status: 'narrowed', why: 'post still leaves the window where a store through a pte re-dirties the page after the unmap' },
    { rule: 'dio-coherency', status: 'narrowed', why: 'post unmaps before dropping, but a fault after the unmap still caches the old data (DESIGN section 11)' },
    { rule: 'invalidate-eio', status: 'introduced', why: 'post returns -EIO when invalidate_complete_page fails on buffers nobody pinned (DESIGN section 11)' },
    { rule: 'livelock', status: 'introduced', fn: ['invalidate_inode_pages2'], why: 'while (page_mapped(page)) unmap_mapping_range(): a fault re-maps the page each time (DESIGN section 11)' },
    { rule: 'aio-complete-once', status: 'introduced', why: 'the new -EIO replaces -EIOCBQUEUED of an asynchronous O_DIRECT write (what 002 fixes later)' },
    { rule: 'error-clobber', status: 'introduced', fn: ['generic_file_direct_IO'], why: "'retval = err' overwrites direct_IO()'s -EIOCBQUEUED: the static view of the aio-complete-once above, fixed by 002" },
    { rule: 'dirty-data-loss', status: 'fixed', fn: ['invalidate_inode_pages2'], why: "pre clear_page_dirty()s a mapped page written by write(): its data never reaches the disk; post set_page_dirty()s it again when the drop fails" },
    { rule: 'dirty-data-loss', status: 'narrowed', why: 'post still loses a store that lands between the unmap and test_clear_page_dirty()' },
    { rule: 'dirty-data-loss', status: 'introduced', fn: ['invalidate_inode_pages2'], why: "post unmaps a page written through mmap (the pte's dirty bit moves to the page), then test_clear_page_dirty() and a successful invalidate_complete_page() drop it unwritten; pre left a mapped page cached (2.6.18 makes invalidate_complete_page2 refuse dirty pages)" },
    { rule: 'unchecked-return', status: 'fixed', fn: ['generic_file_direct_IO'], why: "pre discards invalidate_inode_pages2()'s result; post returns it" },
    { rule: 'c-warning', status: 'remaining', fn: ['invalidate_inode_pages2'], why: "'i < pagevec_count(&pvec)' compares int with unsigned on both sides (-Wsign-compare)" },
    { rule: 'unmodeled', status: 'introduced', fn: ['invalidate_inode_pages2'], why: "post's 'page->index << PAGE_CACHE_SHIFT' is an LP64 assumption: 32 bits on i386" },
    { rule: 'unmodeled', status: 'remaining', fn: ['generic_file_direct_IO'], why: 'filemap_write_and_wait() never fails in the model' },
  ],
  '001': [
    { rule: 'dio-coherency', status: 'present', fn: ['invalidate_inode_pages2'], why: 'DESIGN section 11' },
    { rule: 'unchecked-return', status: 'present', fn: ['invalidate_inode_pages2'], why: "invalidate_complete_page()'s result is discarded (DESIGN section 11)" },
    { rule: 'dirty-data-loss', status: 'present', fn: ['invalidate_inode_pages2'], why: 'DESIGN section 11' },
    { rule: 'livelock', status: 'present', fn: ['invalidate_inode_pages2'], why: 'DESIGN section 11' },
    { rule: 'dirty-uptodate', status: 'present', fn: ['invalidate_inode_pages2'], why: 'the mailed body clears uptodate on a page a store through a pte re-dirties' },
    { rule: 'mapped-uptodate', status: 'present', fn: ['invalidate_inode_pages2'], why: 'the mailed body clears uptodate on a page a fault can map meanwhile' },
    { rule: 'c-warning', status: 'present', fn: ['invalidate_inode_pages2'], why: "-Wsign-compare on 'i < pagevec_count(&pvec)' and -Wparentheses on '+' inside '<<'" },
    { rule: 'unmodeled', status: 'remaining', fn: ['invalidate_inode_pages2'], why: "'page->index << PAGE_CACHE_SHIFT' is an LP64 assumption" },
  ],
  '002': [
    { rule: 'aio-complete-once', status: 'fixed', why: 'the invalidation now runs before direct_IO(), so its -EIO never replaces -EIOCBQUEUED (DESIGN section 11)' },
    { rule: 'error-clobber', status: 'fixed', fn: ['generic_file_direct_IO'], why: 'DESIGN section 11' },
    { rule: 'dio-coherency', status: 'introduced', fn: ['generic_file_direct_IO'], why: "'if (retval) goto out' after direct_IO() skips the second invalidation for every write that returns its byte count, so a read that cached the page during the write leaves it stale (as shipped in 2.6.20)" },
    { rule: 'dio-coherency', status: 'widened', fn: ['generic_file_direct_IO'], why: 'the same skipped invalidation, against a page faulted in through mmap' },
    { rule: 'dio-coherency', status: 'remaining', fn: ['generic_file_direct_IO'], why: 'a fault after the last invalidation re-caches the page on both sides' },
    { rule: 'dirty-data-loss', status: 'remaining', fn: ['generic_file_direct_IO'], why: "2.6.20's invalidate_inode_pages2_range still test_clear_page_dirty()s before the drop on both sides" },
    { rule: 'dirty-uptodate', status: 'remaining', fn: ['generic_file_direct_IO'], why: 'the library invalidation leaves the store-after-unmap window on both sides' },
    { rule: 'mapped-uptodate', status: 'remaining', fn: ['generic_file_direct_IO'], why: 'the library invalidation leaves the fault-after-unmap window on both sides' },
    { rule: 'invalidate-eio', status: 'remaining', fn: ['generic_file_direct_IO'], why: 'the library invalidation reports -EIO for buffers nobody pinned on both sides' },
    { rule: 'unmodeled', status: 'remaining', fn: ['generic_file_direct_IO'], why: 'filemap_write_and_wait() never fails in the model' },
    { rule: 'patch-syntax', status: 'introduced', why: 'a hunk one line short at the end of the mail, read as patch(1) reads it (information)' },
  ],
  '003': [
    { rule: 'stray-page', status: 'fixed', fn: ['do_no_page', 'invalidate_mmap_range'], why: 'DESIGN section 11' },
    { rule: 'mapped-uptodate', status: 'fixed', why: "the page the pre fault maps is one truncate removed, and truncate ClearPageUptodate()s it" },
  ],
  '004': [],
};

const seeds = seedNames();

for (const [prefix, expected] of Object.entries(EXPECTED)) {
  const name = seeds.find((n) => n.startsWith(`${prefix}_`));
  test(`seed ${prefix}: the static tier and the model reach exactly the expected (rule, status) pairs`, { skip: seedsSkip() }, async () => {
    await initEngine();
    const analysis = analyze(readFileSync(join(seedsDir, name!), 'utf8'), name!);
    const model = runModelTier(analysis);
    assert.equal(model.complete, true, 'every search ran to the end of its bounds');
    const findings: Finding[] = [...analysis.findings, ...model.findings];
    const pairs = (xs: { rule: string; status: string }[]) => [...new Set(xs.map((x) => `${x.rule}:${x.status}`))].sort();
    assert.deepEqual(pairs(findings), pairs(expected), 'the whole set of (rule, status) pairs');
    for (const e of expected.filter((x) => x.fn)) {
      const hits = findings.filter((f) => f.rule === e.rule && f.status === e.status);
      const fns = analysis.functions.filter((f) => e.fn!.includes(f.name));
      assert.equal(fns.length, e.fn!.length, `functions ${e.fn!.join(', ')} extracted`);
      const inside = hits.some((f) => fns.some((fn) => f.range.start.line >= fn.range.start.line && f.range.start.line <= fn.range.end.line));
      assert.ok(inside, `${e.rule} ${e.status} lies on the lines of ${e.fn!.join(' or ')}: ${hits.map((f) => f.range.start.line).join(', ')}`);
    }
  });
}
