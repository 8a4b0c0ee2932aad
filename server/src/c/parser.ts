/**
 * The C parser: web-tree-sitter with the tree-sitter-c grammar, loaded once.
 *
 * WASM rather than the native tree-sitter binding was chosen so that the .vsix is portable across
 * platforms and Electron versions with no native build step. The two .wasm files are handed in
 * as bytes (`initParser`): the entry points read them (engine-assets.ts), so the engine itself
 * never touches the disk.
 */
import type { Tree } from 'web-tree-sitter';
// `import = require` (not `import from`) so that esbuild bundles the package's CommonJS build:
// its ES module build reads import.meta.url, which is empty in the CommonJS bundle kpr.js.
import TreeSitter = require('web-tree-sitter');

const { Language, Parser } = TreeSitter;
type Parser = InstanceType<typeof Parser>;

export type { Tree, Node as SyntaxNode } from 'web-tree-sitter';

/** tree-sitter's two WASM modules, as bytes: its runtime and the C grammar. */
export interface TreeSitterWasm {
  /** `tree-sitter.wasm` of the web-tree-sitter package. */
  runtime: Uint8Array;
  /** `tree-sitter-c.wasm` of the tree-sitter-c package. */
  grammar: Uint8Array;
}

let parser: Parser | undefined;
let pending: Promise<void> | undefined;

/**
 * Loads the runtime and the C grammar from their bytes. Idempotent (the first call's bytes are
 * the ones loaded); concurrent callers share one load.
 */
export function initParser(wasm: TreeSitterWasm): Promise<void> {
  if (parser) return Promise.resolve();
  if (!pending) {
    pending = (async () => {
      // Given its bytes, the runtime never looks for its file; the name only labels errors.
      await Parser.init({ wasmBinary: wasm.runtime, locateFile: (name: string) => name });
      const language = await Language.load(wasm.grammar);
      const p = new Parser();
      p.setLanguage(language);
      parser = p;
    })();
    // A failed load may be retried by a later call.
    pending.catch(() => { pending = undefined; });
  }
  return pending;
}

/** True once `initParser()` has finished. */
export function parserReady(): boolean {
  return parser !== undefined;
}

/**
 * Parses C text. Synchronous; `initParser()` must have completed first (calling it before is a
 * programming error, not bad input, so it throws). Syntax errors in the text never throw: they
 * show up as ERROR and MISSING nodes in the tree.
 */
export function parseC(text: string): Tree {
  if (!parser) throw new Error('parseC() called before initParser() completed');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
