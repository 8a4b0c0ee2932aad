// Deep and long input without recursion limits (issue 16): a hunk adding 200,000 locals (its
// lines were once spread into one push, which overflowed the stack) and a function of 100,000
// nested blocks, one per line. Extraction finds the one function with no problem; the analysis
// of the nested one ends in the lowering bound's note, never an internal error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { parseDocument } from '../../server/src/intake/parse';
import { extractFunctions } from '../../server/src/functions/extract';
import { analyze } from '../../server/src/analysis';
import { giantPatch } from '../../bench/giant';

function nested(depth: number): string {
  const lines = ['+static int kpr_deep(void)', '+{', ...Array.from({ length: depth }, () => '+\t{'), ...Array.from({ length: depth }, () => '+\t}'), '+\treturn 0;', '+}'];
  return `--- a/mm/filemap.c\n+++ b/mm/filemap.c\n@@ -100,0 +101,${lines.length} @@\n${lines.join('\n')}\n`;
}

test('a hunk of 200,000 added locals: one function, every line in its post side, no problem', async () => {
  await initEngine();
  const doc = parseDocument(giantPatch(200_000, 'unused'), 'giant.patch');
  const r = extractFunctions(doc);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.functions.map((f) => f.name), ['kpr_giant']);
  assert.equal(r.functions[0]!.post!.c.text.split('\n').filter((l) => /^\tint v\d+;$/.test(l)).length, 200_000);
});

test('100,000 nested blocks: the nesting bound is the one finding, no internal error', async () => {
  await initEngine();
  const a = analyze(nested(100_000), 'deep.patch');
  assert.deepEqual(a.findings.map((f) => [f.rule, f.severity, f.message]), [
    ['unmodeled', 'information', 'Code nested deeper than 1000 syntax levels: the function is not lowered and no flow rule checks it.'],
  ]);
  assert.equal(a.incomplete, undefined);
});
