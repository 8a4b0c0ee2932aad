// The tree-sitter C parser: initialisation is idempotent, and syntax errors show up in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseC, parserReady, type TreeSitterWasm } from '../../server/src/c/parser';
import { readEngineAssets } from '../../server/src/engine-assets';

/** The WASM bytes as the entry points read them. */
function wasm(): TreeSitterWasm {
  const w = readEngineAssets().wasm;
  if ('error' in w) throw new Error(w.error);
  return w;
}

test('initParser can be awaited twice at once and parses C after', async () => {
  const bytes = wasm();
  await Promise.all([initParser(bytes), initParser(bytes)]);
  assert.equal(parserReady(), true);
  const tree = parseC('int f(void) { return 1; }');
  assert.equal(tree.rootNode.namedChildren[0]?.type, 'function_definition');
  assert.equal(tree.rootNode.hasError, false);
});

test('broken C gives a tree with errors, not an exception', async () => {
  await initParser(wasm());
  assert.equal(parseC('int f( { return ; ').rootNode.hasError, true);
});
