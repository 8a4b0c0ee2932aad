/**
 * Reads what the engine is handed at start (`EngineAssets`): tree-sitter's two WASM modules and
 * the era libraries' layer folders. Only the entry points call it (the bundles' entry files, and
 * the tests' support as theirs); the engine itself never touches the disk.
 *
 * Two layouts: the esbuild bundles in server/dist, where the build copies the WASM files and the
 * library (server/dist/library/<era>/) beside them; and the TypeScript sources run by tsx, where
 * the library lies in model/library/ and the WASM files in node_modules.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { EngineAssets } from './analysis';
import type { LayerSource } from './model/library/index';
import { isLibrarySpans, type LibrarySpans } from './model/library/spans';
import { LOWERED_FILE } from './verdict/lowered-library';

/** A WASM file beside the bundle, else from its package in node_modules. */
function wasmFile(file: string, moduleId: string): Uint8Array {
  const beside = join(__dirname, file);
  return readFileSync(existsSync(beside) ? beside : createRequire(join(__dirname, 'noop.js')).resolve(moduleId));
}

/** Every folder of the library root with its `.c` and `.c.patch` files (in name order) and `layer.json`. */
function readLayers(root: string): LayerSource[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).sort().filter((name) => statSync(join(root, name)).isDirectory()).map((layer) => {
    const dir = join(root, layer);
    const names = readdirSync(dir).sort();
    const files = names.filter((n) => n.endsWith('.c') || n.endsWith('.c.patch')).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
    return names.includes('layer.json') ? { layer, files, info: readFileSync(join(dir, 'layer.json'), 'utf8') } : { layer, files };
  });
}

/**
 * The assets of the running layout. Never throws for a missing WASM file: its error is kept and
 * met by `initAnalysis` (analysis then runs without C, saying so). A missing library is no era.
 */
export function readEngineAssets(): EngineAssets {
  let wasm: EngineAssets['wasm'];
  try {
    wasm = { runtime: wasmFile('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'), grammar: wasmFile('tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm') };
  } catch (err) {
    wasm = { error: `tree-sitter's WASM could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  const bundled = join(__dirname, 'library');
  const root = existsSync(bundled) ? bundled : join(__dirname, 'model', 'library');
  return { wasm, library: readLayers(root), librarySpans: readSpans(join(root, SPANS_FILE)), loweredLibrary: readOptional(join(root, LOWERED_FILE)) };
}

/** A file the build may have written beside the library: its bytes, or none (the engine then computes what it holds). */
function readOptional(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The file the build writes beside the bundled library (scripts/build.mjs, model/library/spans.ts). */
export const SPANS_FILE = 'spans.json';

/** The build's spans of the library, if it wrote them and they read as such; else none (the library is parsed). */
function readSpans(file: string): LibrarySpans | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isLibrarySpans(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
