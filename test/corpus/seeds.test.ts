// DESIGN section 11 as data: each seed document in, the (rule, status) pairs the model must reach
// out, each on a line of the function the rule is about. Every verdict here is earned by running
// the patch's code on the era library: nothing in the engine knows these documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedNames, seedsDir, seedsSkip } from '../support/seeds';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { Finding } from '../../server/src/findings';


interface Expect {
  rule: string;
  status: RegExp;
  /** Functions one of whose lines the finding must lie on (the race window's victim may be either thread). */
  fn?: string[];
  todo?: string;
}

const EXPECTED: Record<string, Expect[]> = {
  '000': [
    // 2.6.10's invalidate_complete_page has no count check: a fault that re-maps the page between
    // the unmap loop and the drop still leaves a mapped page marked not uptodate (narrowed).
    { rule: 'mapped-uptodate', status: /^narrowed$/ },
    { rule: 'mapped-uptodate', status: /^fixed$/, fn: ['invalidate_inode_pages2'] },
    { rule: 'dirty-uptodate', status: /^(fixed|narrowed)$/, fn: ['invalidate_inode_pages2'] },
    { rule: 'dio-coherency', status: /^(fixed|narrowed)$/ },
    { rule: 'invalidate-eio', status: /^(introduced|remaining)$/ },
    { rule: 'livelock', status: /^introduced$/, fn: ['invalidate_inode_pages2'] },
    // The new -EIO replaces -EIOCBQUEUED of an asynchronous O_DIRECT write (what 002 fixes later).
    { rule: 'aio-complete-once', status: /^introduced$/ },
  ],
  '001': [
    { rule: 'dio-coherency', status: /^present$/, fn: ['invalidate_inode_pages2'] },
    { rule: 'unchecked-return', status: /^present$/, fn: ['invalidate_inode_pages2'] },
    { rule: 'dirty-data-loss', status: /^present$/, fn: ['invalidate_inode_pages2'] },
    { rule: 'livelock', status: /^present$/, fn: ['invalidate_inode_pages2'] },
  ],
  '002': [
    { rule: 'aio-complete-once', status: /^fixed$/ },
    { rule: 'error-clobber', status: /^fixed$/ },
  ],
  '003': [{ rule: 'stray-page', status: /^fixed$/, fn: ['do_no_page', 'invalidate_mmap_range'] }],
  '004': [],
};

const seeds = seedNames();

for (const [prefix, expected] of Object.entries(EXPECTED)) {
  const name = seeds.find((n) => n.startsWith(`${prefix}_`));
  test(`seed ${prefix}: the model and the static tier reach DESIGN section 11`, { skip: seedsSkip() }, async (t) => {
    await initEngine();
    const analysis = analyze(readFileSync(join(seedsDir, name!), 'utf8'), name!);
    const model = runModelTier(analysis);
    assert.equal(model.complete, true, 'every search ran to the end of its bounds');
    const findings: Finding[] = [...analysis.findings, ...model.findings];
    for (const e of expected) {
      await t.test(`${e.rule} ${e.status.source}`, { todo: e.todo }, () => {
        const hits = findings.filter((f) => f.rule === e.rule && e.status.test(f.status));
        assert.ok(hits.length > 0, `no ${e.rule} finding with status ${e.status}; got ${findings.map((f) => `${f.rule}:${f.status}`).join(', ')}`);
        if (e.fn) {
          const fns = analysis.functions.filter((f) => e.fn!.includes(f.name));
          assert.equal(fns.length, e.fn.length, `functions ${e.fn.join(', ')} extracted`);
          const inside = hits.some((f) => fns.some((fn) => f.range.start.line >= fn.range.start.line && f.range.start.line <= fn.range.end.line));
          assert.ok(inside, `${e.rule} lies on the lines of ${e.fn.join(' or ')}: ${hits.map((f) => f.range.start.line).join(', ')}`);
        }
      });
    }
    if (expected.length === 0) assert.deepEqual(findings.filter((f) => f.tier === 'model'), [], 'prose yields no model finding');
  });
}
