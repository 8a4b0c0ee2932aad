import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { initEngine } from '../support/engine';
import { RULES } from '../../server/src/findings';
import { eras, libraryFunctions } from '../../server/src/model/library/index';
import { applicableScenarios, reachable, scenarioRunsOn } from '../../server/src/scenarios/applicable';
import { BUILTIN_IDS, BUILTIN_SCENARIOS } from '../../server/src/scenarios/catalog';
import { validateScenarioText } from '../../server/src/scenarios/load';
import schema from '../../server/src/scenarios/schema.json';

const CONTRACT_IDS = [
  'dio-write-vs-fault', 'dio-write-vs-read', 'dio-write-vs-mmap-write', 'aio-dio-write', 'truncate-vs-fault',
  'invalidate-vs-fault', 'invalidate-vs-zap', 'invalidate-vs-writeback', 'invalidate-vs-invalidate',
  'invalidate-past-4g',
  // DESIGN section 6's "those the later history needs": NFS revalidation racing stores through a mapping.
  'revalidate-vs-mmap-write',
  // ... and a fault whose read fails (the I/O-error flavour).
  'fault-read-error',
];

test('the catalog holds exactly the contract ids', () => {
  assert.deepEqual([...BUILTIN_IDS].sort(), [...CONTRACT_IDS].sort());
});

test('every scenario runs in exactly the eras whose library has its entry functions', async () => {
  await initEngine();
  const runsOn = (id: string) => eras().filter((e) => scenarioRunsOn(BUILTIN_SCENARIOS.find((s) => s.id === id)!, e));
  for (const s of BUILTIN_SCENARIOS) {
    assert.equal(s.eras, undefined, `${s.id}: built-in scenarios apply by their entries, not by a list`);
    for (const era of runsOn(s.id)) for (const t of s.threads) assert.ok(libraryFunctions(era).has(t.entry), `${s.id} on ${era}: ${t.entry}`);
  }
  assert.deepEqual(runsOn('truncate-vs-fault'), eras());
  // Every 2.6 era has the AIO submit path, so the asynchronous O_DIRECT write runs from 2.6.10 on.
  assert.deepEqual(runsOn('aio-dio-write'), eras().filter((e) => e !== '2.5.70'));
  assert.deepEqual(runsOn('invalidate-vs-fault'), eras().filter((e) => e !== '2.5.70'));
});

test('every scenario is small, bounded and checks only known rules', () => {
  for (const s of BUILTIN_SCENARIOS) {
    assert.ok(s.file.pages.length >= 1 && s.file.pages.length <= 2, s.id);
    assert.ok(s.threads.length >= 1 && s.threads.length <= 3, s.id);
    assert.ok(s.invariants.every((r) => r in RULES), s.id);
    assert.ok(s.bounds.preemptions !== undefined && s.bounds.preemptions >= 1 && s.bounds.states > 0 && s.bounds.depth > 0, s.id);
    assert.ok(s.doc.length > 80, s.id);
  }
});

test('the schema accepts every built-in scenario, serialised', async () => {
  await initEngine();
  for (const s of BUILTIN_SCENARIOS) {
    const r = validateScenarioText(JSON.stringify(s, null, 2), `${s.id}.json`);
    assert.deepEqual(r.problems, [], s.id);
    assert.deepEqual(r.scenario, JSON.parse(JSON.stringify(s)));
  }
});

test('the schema is draft-07 and its invariant ids are exactly the rule ids', () => {
  const ajv = new Ajv({ strict: true, strictTuples: false });
  assert.doesNotThrow(() => ajv.compile(schema));
  assert.deepEqual([...schema.properties.invariants.items.enum].sort(), Object.keys(RULES).sort());
});

test('reachability follows the library call graph, calls through vm_ops included', async () => {
  await initEngine();
  const r = reachable('2.6.10', ['user_fault']);
  for (const f of ['handle_mm_fault', 'do_no_page', 'filemap_nopage', 'page_cache_read']) assert.ok(r.has(f), f);
  assert.ok(!r.has('invalidate_inode_pages2'));
  const dio = reachable('2.6.20', ['sys_dio_write']);
  for (const f of ['aio_run_iocb', 'generic_file_direct_IO', 'invalidate_inode_pages2_range', 'unmap_mapping_range', 'zap_pte_range', 'dio_bio_end_aio']) {
    assert.ok(dio.has(f), f);
  }
});

test('applicable scenarios are those whose threads reach a changed function', async () => {
  await initEngine();
  const ids = (names: string[], era: string) => applicableScenarios(names, era).map((s) => s.id).sort();
  assert.deepEqual(ids(['do_no_page'], '2.5.70'), ['fault-read-error', 'truncate-vs-fault']);
  // 2.6.23: ->fault is filemap_fault, reached through the method; no do_no_page any more.
  assert.deepEqual(ids(['filemap_fault'], '2.6.23'), [
    'dio-write-vs-fault', 'dio-write-vs-mmap-write', 'fault-read-error', 'invalidate-vs-fault', 'revalidate-vs-mmap-write', 'truncate-vs-fault',
  ]);
  assert.deepEqual(ids(['do_no_page'], '2.6.23'), []);
  assert.deepEqual(ids(['invalidate_inode_pages2'], '2.6.10'), [
    'aio-dio-write', 'dio-write-vs-fault', 'dio-write-vs-mmap-write', 'dio-write-vs-read',
    'invalidate-vs-fault', 'invalidate-vs-invalidate', 'invalidate-vs-writeback', 'invalidate-vs-zap', 'revalidate-vs-mmap-write',
  ]);
  assert.deepEqual(ids(['generic_file_direct_IO'], '2.6.20'), ['aio-dio-write', 'dio-write-vs-fault', 'dio-write-vs-mmap-write', 'dio-write-vs-read']);
  assert.ok(ids(['zap_pte_range'], '2.6.10').includes('invalidate-vs-zap'));
  assert.deepEqual(ids(['no_such_function'], '2.6.10'), []);
});
