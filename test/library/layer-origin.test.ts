// Each line of a function a layer changed by a diff keeps where it was written (README, "Layers
// written as diffs"): a program in, each step's place (layer file and line) out, for a library
// function and for a patch's body spliced into it. The place's line holds the step's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { extractFunctions } from '../../server/src/functions/extract';
import { parseDocument } from '../../server/src/intake/parse';
import { libraryFile } from '../../server/src/model/library/index';
import { codeAt, modelPlace, type ProgramFunction } from '../../server/src/model/program';
import { libraryLayer, patchLayer } from '../../server/src/verdict/side-program';

/** Per step with a place: `file | code`, after checking that the place's line holds the code. */
function places(f: ProgramFunction): string[] {
  const out = new Set<string>();
  for (const s of f.ir.steps) {
    const at = modelPlace(f, s.loc);
    const code = codeAt(f, s.loc);
    if (!at || code === '') continue;
    const line = libraryFile(at.file)?.text.split('\n')[at.line] ?? '';
    assert.ok(line.includes(code), `${at.file}:${at.line} is \`${line}\`, the step runs \`${code}\``);
    if (at.file.endsWith('.patch')) assert.match(line, /^\+/, `${at.file}:${at.line} is an added line`);
    out.add(`${at.file} | ${code}`);
  }
  return [...out].sort();
}

test('a library function composed by a diff: unchanged steps in the earlier layer, changed ones at the + lines of the diff', async () => {
  await initEngine();
  const f = libraryLayer('2.6.18').find((p) => p.ir.name === 'invalidate_complete_page')!;
  assert.deepEqual(places(f), [
    '2.6.10/truncate.c | (page->mapping != mapping)',
    '2.6.10/truncate.c | ClearPageUptodate(page)',
    '2.6.10/truncate.c | PagePrivate(page)',
    '2.6.10/truncate.c | __remove_from_page_cache(page)',
    '2.6.10/truncate.c | page_cache_release(page)',
    '2.6.10/truncate.c | return 0;',
    '2.6.10/truncate.c | return 1;',
    '2.6.10/truncate.c | try_to_release_page(page, 0)',
    '2.6.18/truncate.c.patch | (PageDirty(page))',
    '2.6.18/truncate.c.patch | (page_count(page) != 2)',
    '2.6.18/truncate.c.patch | PageDirty(page)',
    '2.6.18/truncate.c.patch | goto failed;',
    '2.6.18/truncate.c.patch | page_count(page)',
    '2.6.18/truncate.c.patch | return 0;',
    '2.6.18/truncate.c.patch | write_lock_irq(&mapping->tree_lock)',
    '2.6.18/truncate.c.patch | write_unlock_irq(&mapping->tree_lock)',
  ]);
});

test('a patch spliced into that function: its library lines keep the same layer places', async () => {
  await initEngine();
  const doc = parseDocument(readFileSync(join(__dirname, '..', 'fixtures', 'splice', 'two-hunks.patch'), 'utf8'), 'p.patch');
  const fns = extractFunctions(doc).functions;
  const f = patchLayer(doc, fns, 'post', 'lp64').layer.find((p) => p.ir.name === 'invalidate_complete_page')!;
  // The patch's own lines are document lines (no library place); the rest keep their layers.
  assert.deepEqual(places(f), [
    '2.6.10/truncate.c | ClearPageUptodate(page)',
    '2.6.10/truncate.c | page_cache_release(page)',
    '2.6.10/truncate.c | return 1;',
    '2.6.18/truncate.c.patch | return 0;',
    '2.6.18/truncate.c.patch | write_unlock_irq(&mapping->tree_lock)',
  ]);
});
