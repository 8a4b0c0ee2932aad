// The engine started for tests as an entry point starts it: its assets (tree-sitter's WASM, the
// era libraries) read from the sources' layout and handed in, then the parser loaded. One line in
// a test: `before(() => initEngine())`.
import { initAnalysis, useEngineAssets } from '../../server/src/analysis';
import { readEngineAssets } from '../../server/src/engine-assets';

let given = false;

/** Hands the engine its assets once per process and awaits the C parser. */
export function initEngine(): Promise<void> {
  if (!given) {
    useEngineAssets(readEngineAssets());
    given = true;
  }
  return initAnalysis();
}
