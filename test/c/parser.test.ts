// The tree-sitter C parser: initialisation is idempotent, and syntax errors show up in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseC, parserReady } from '../../server/src/c/parser';

test('initParser can be awaited twice at once and parses C after', async () => {
  await Promise.all([initParser(), initParser()]);
  assert.equal(parserReady(), true);
  const tree = parseC('int f(void) { return 1; }');
  assert.equal(tree.rootNode.namedChildren[0]?.type, 'function_definition');
  assert.equal(tree.rootNode.hasError, false);
});

test('broken C gives a tree with errors, not an exception', async () => {
  await initParser();
  assert.equal(parseC('int f( { return ; ').rootNode.hasError, true);
});
