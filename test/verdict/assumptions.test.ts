// Assumptions said (DESIGN section 8, issue 11 item 7): where a patch's code leans on what the
// model assumes, one information note per function and assumption, on the line. A document and
// the modes in, the whole set of notes out: `kind:status@line function`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, runModelTier } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import type { Finding } from '../../server/src/findings';
import type { Abi } from '../../server/src/lower/ctypes';
import type { MemoryModel } from '../../server/src/model/weak';
import { builtinScenario } from '../../server/src/scenarios/catalog';
import { assumptionFindings } from '../../server/src/verdict/assumptions';
import { planMessages } from '../../server/src/verdict/plan';

const fixtures = join(__dirname, '..', 'fixtures');
const read = (path: string) => readFileSync(join(fixtures, path), 'utf8');

const KINDS: [RegExp, string][] = [
  [/^Assumes sequential consistency/, 'barrier'], [/^Assumes x86-64 integer widths/, 'abi'],
  [/^Assumes the filesystems of its scenarios/, 'a_ops'], [/^Assumes I\/O calls never fail/, 'io'], [/^Assumes reads succeed/, 'read'],
];
const kind = (f: Finding) => KINDS.find(([re]) => re.test(f.message))?.[1] ?? `other(${f.message})`;
const shape = (f: Finding) => `${kind(f)}:${f.status}@${f.range.start.line + 1} ${f.function}`;

function notes(path: string, memoryModel: MemoryModel, abi: Abi): Finding[] {
  const a = analyze(read(path), path, { abi, memoryModel });
  return planMessages(a.document, a.functions, undefined, abi).filter((p) => p.scenarios.length > 0).flatMap((p) => assumptionFindings(a.document, p, memoryModel, abi));
}

before(() => initEngine());

// [document, memory model, abi, the notes]
const CASES: [string, MemoryModel, Abi, string[]][] = [
  // An added read barrier: under sc it orders nothing; under weak the model judges it, no note.
  ['real/06-do-no-page-retry-rmb.patch', 'sc', 'lp64', ['barrier:introduced@23 do_no_page']],
  ['real/06-do-no-page-retry-rmb.patch', 'weak', 'lp64', []],
  ['real/12-truncate-count-barriers.patch', 'sc', 'lp64', ['barrier:introduced@21 unmap_mapping_range']],
  ['real/12-truncate-count-barriers.patch', 'weak', 'ilp32', []],
  // The shift into a byte offset: on the added line (before the removed one); none under ilp32.
  ['real/04-iip2-range-shift.patch', 'sc', 'lp64', ['abi:introduced@27 invalidate_inode_pages2_range']],
  ['real/04-iip2-range-shift.patch', 'sc', 'ilp32', []],
  ['real/04-iip2-range-shift.lib.patch', 'sc', 'lp64', ['abi:introduced@13 invalidate_inode_pages2_range']],
  // ->launder_page: NULL for ext3, and for nfs before the 2.6.20 library's nfs_launder_page;
  // its result is a writeback's, which the model never fails. Modes change neither.
  ['real/03-launder-page.patch', 'sc', 'lp64', ['a_ops:introduced@41 do_launder_page', 'io:introduced@43 do_launder_page']],
  ['real/03-launder-page.patch', 'weak', 'ilp32', ['a_ops:introduced@41 do_launder_page', 'io:introduced@43 do_launder_page']],
  // A read error tested after the read was waited for: the added line, not the removed one; and
  // ->readpage's result in the context, which never reports a failure.
  ['assumptions/nopage-read-error.patch', 'sc', 'lp64', ['io:remaining@10 filemap_nopage', 'read:introduced@13 filemap_nopage']],
  // Nothing assumed: the count check, and a series.
  ['real/01-icp-count-check.patch', 'sc', 'lp64', []],
  ['real/11-series-count-under-lock.mbox', 'sc', 'lp64', []],
  // Unjudged everywhere (not placed): no scenario runs, so no verdict leans on anything.
  ['real/10-hg-do-no-page-rmb.patch', 'sc', 'lp64', []],
];

for (const [path, mm, abi, expected] of CASES) {
  test(`${path} (--memory-model ${mm}, --abi ${abi}): ${expected.length} assumption notes`, () => {
    const found = notes(path, mm, abi);
    assert.deepEqual(found.map(shape), expected);
    for (const f of found) {
      assert.equal(f.rule, 'unmodeled');
      assert.equal(f.severity, 'information');
      assert.equal(f.tier, 'model');
    }
  });
}

test('the a_ops note names the flavours that lack the method and their scenarios', () => {
  const [note] = notes('real/03-launder-page.patch', 'sc', 'lp64');
  assert.match(note!.message, /as the 2\.6\.19 model fills them in: ->launder_page is NULL for ext3 \([a-z0-9-, ]+\) and nfs \([a-z0-9-, ]+\)/);
});

test('the model tier reports the notes with its findings (once per function, not per scenario)', () => {
  const a = analyze(read('assumptions/nopage-read-error.patch'), 'nopage-read-error.patch');
  const scenarios = ['dio-write-vs-fault', 'invalidate-vs-fault'].map((id) => builtinScenario(id)!);
  const r = runModelTier(a, { scenarios });
  const found = r.findings.filter((f) => f.message.startsWith('Assumes'));
  assert.deepEqual(found.map(shape), ['io:remaining@10 filemap_nopage', 'read:introduced@13 filemap_nopage']);
  // The scenarios whose verdicts lean on them: both reach filemap_nopage.
  for (const f of found) assert.deepEqual(f.scenarios, ['dio-write-vs-fault', 'invalidate-vs-fault']);
  assert.ok(found.every((f) => f.complete === true));
});

test('the read note leaves out the scenarios whose reads fail (the I/O-error flavour) and names them', () => {
  const read = notes('assumptions/nopage-read-error.patch', 'sc', 'lp64').find((f) => kind(f) === 'read')!;
  assert.ok(!read.scenarios!.includes('fault-read-error'));
  assert.ok(read.scenarios!.includes('dio-write-vs-fault'));
  assert.match(read.message, /^Assumes reads succeed: no read fails in [a-z0-9-, ]+ \(they do in fault-read-error\), so the path taken when PageUptodate\(\) after the read finds a failed read/);
});
