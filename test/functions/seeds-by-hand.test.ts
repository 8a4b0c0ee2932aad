// The seed patches read by this folder's own minimal diff reader (doc-helper.ts), so extraction
// is checked on the seeds even before intake lands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractFunctions } from '../../server/src/functions/extract';
import { patchDoc } from './doc-helper';
import { seedPath } from '../support/seeds';

const load = (prefix: string) => patchDoc(readFileSync(seedPath(prefix.replace(/_$/, '')), 'utf8'));
const summary = (prefix: string) => extractFunctions(load(prefix)).functions.map((f) => [f.name, f.preOrigin, f.postOrigin, f.hunks.length]);

test('seed 000 by hand: the comment hunk and the prototype hunk touch no function', () => {
  assert.deepEqual(summary('000_'), [['invalidate_inode_pages2', 'patch', 'patch', 1], ['generic_file_direct_IO', 'fragment', 'fragment', 2]]);
});

test('seed 002 by hand: two hunks with no hint and no signature join into one unnamed fragment', () => {
  assert.deepEqual(summary('002_'), [['', 'fragment', 'fragment', 2]]);
});

test('seed 003 by hand: the memory.c functions are fragments, the header and initialiser give nothing', () => {
  assert.deepEqual(summary('003_'), [
    ['init_blkmtd', 'fragment', 'fragment', 1], ['inode_init_once', 'fragment', 'fragment', 1],
    ['invalidate_mmap_range', 'fragment', 'fragment', 1], ['do_no_page', 'fragment', 'fragment', 3],
  ]);
});
