// `kpr run --random` and `--schedule` run one interleaving each, not a search (issue 16.5): the
// JSON never says `complete`, the text says "not a search", and a run the step budget cut is
// reported as a cut on stderr, never as a deadlock of the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, runKpr } from './kpr';

// A 2.6.10 invalidate_inode_pages2() that takes tree_lock and then spins: the model cuts the
// spinning thread, which still holds the lock the faulting thread needs.
const SPIN = join(repoRoot, 'test', 'fixtures', 'cli', 'spin-under-tree-lock.patch');

for (const how of [['--random', '3', '--seed', '7'], ['--schedule', 'revalidate,fault']] as const) {
  test(`kpr run ${how[0]} is one run, labelled as such: complete false, replayed, cut said on stderr, no deadlock`, () => {
    const r = runKpr(['run', 'invalidate-vs-fault', '--patch', SPIN, '--side', 'post', '--format', 'json', ...how]);
    assert.equal(r.code, 0, r.stderr);
    const post = JSON.parse(r.stdout).post;
    assert.deepEqual([post.complete, post.replayed, post.states], [false, how[0] === '--random' ? 'random' : 'schedule', post.steps.length + 1]);
    assert.deepEqual(post.violations.map((v: { rule: string }) => v.rule), ['livelock']);
    assert.match(r.stderr, /cut: the step budget stopped revalidate/);
    if (how[0] === '--random') assert.match(r.stderr, /random schedule 1 of 3 broke a rule \(seed 7\); a sample, not a search/);
    const text = runKpr(['run', 'invalidate-vs-fault', '--patch', SPIN, '--side', 'post', ...how]);
    assert.match(text.stdout, /post side — era 2\.6\.10, \d+ steps of one (random|replayed) schedule, not a search/);
    assert.doesNotMatch(text.stdout, /complete|deadlock/);
  });
}
