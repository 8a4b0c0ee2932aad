/**
 * The C parser: web-tree-sitter with the tree-sitter-c grammar, loaded once.
 *
 * WASM rather than the native tree-sitter binding was chosen so that the .vsix is portable across
 * platforms and Electron versions with no native build step. The two .wasm files are found next
 * to this module when it runs from the esbuild bundle (server/dist/kpr.js, where the build copies
 * them as tree-sitter.wasm and tree-sitter-c.wasm), and otherwise through module resolution from
 * node_modules (TypeScript sources run by tsx in tests).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Tree } from 'web-tree-sitter';
// `import = require` (not `import from`) so that esbuild bundles the package's CommonJS build:
// its ES module build reads import.meta.url, which is empty in the CommonJS bundle kpr.js.
import TreeSitter = require('web-tree-sitter');

const { Language, Parser } = TreeSitter;
type Parser = InstanceType<typeof Parser>;

export type { Tree, Node as SyntaxNode } from 'web-tree-sitter';

let parser: Parser | undefined;
let pending: Promise<void> | undefined;

/** Where a wasm file lies: beside the running bundle first, then in node_modules. */
function wasmPath(file: string, moduleId: string): string {
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  const req = createRequire(join(__dirname, 'noop.js'));
  return req.resolve(moduleId);
}

/** Loads the runtime and the C grammar. Idempotent; concurrent callers share one load. */
export function initParser(): Promise<void> {
  if (parser) return Promise.resolve();
  if (!pending) {
    pending = (async () => {
      const runtime = wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
      await Parser.init({ locateFile: () => runtime });
      const language = await Language.load(wasmPath('tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm'));
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
