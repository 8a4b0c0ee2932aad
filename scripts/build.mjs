// Bundles the engine (server/dist/kpr.js: CLI and language server) and the VS Code client
// (client/dist/extension.js) with esbuild, and copies the tree-sitter WASM files beside the engine.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'server', 'package.json'));

// web-tree-sitter is an ES module that reads import.meta.url, which is empty in a CJS bundle:
// give it the bundle's own file URL instead.
const importMetaUrl = { define: { 'import.meta.url': '__kpr_import_meta_url' }, banner: { js: 'var __kpr_import_meta_url = require("url").pathToFileURL(__filename).href;' } };
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', ...importMetaUrl };

mkdirSync(join(root, 'server', 'dist'), { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(root, 'server', 'dist', 'tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm'), join(root, 'server', 'dist', 'tree-sitter-c.wasm'));
// The era libraries are C read at run time (the model lowers them like patches): ship them as text.
rmSync(join(root, 'server', 'dist', 'library'), { recursive: true, force: true });
cpSync(join(root, 'server', 'src', 'model', 'library'), join(root, 'server', 'dist', 'library'), {
  recursive: true,
  filter: (src) => !/\.(ts|md)$/.test(src),
});

await Promise.all([
  build({ ...common, entryPoints: [join(root, 'server/src/cli/main.ts')], outfile: join(root, 'server/dist/kpr.js') }),
  build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(root, 'client/dist/extension.js'), external: ['vscode'] }),
  // The engine's worker thread (searches and model-tier tasks) is a bundle of its own.
  build({ ...common, entryPoints: [join(root, 'server/src/worker/worker.ts')], outfile: join(root, 'server/dist/worker.js') }),
  // The language server's static tier runs on workers of its own (server/src/lsp/static-pool.ts).
  build({ ...common, entryPoints: [join(root, 'server/src/lsp/static-worker.ts')], outfile: join(root, 'server/dist/static-worker.js') }),
  // `kpr check` analyses each document on a worker of its own, under its bounds (server/src/cli/check-job.ts).
  build({ ...common, entryPoints: [join(root, 'server/src/cli/check-worker.ts')], outfile: join(root, 'server/dist/check-worker.js') }),
  // `kpr run` searches on a worker whose young generation is sized for it (server/src/cli/run-job.ts).
  build({ ...common, entryPoints: [join(root, 'server/src/cli/run-worker.ts')], outfile: join(root, 'server/dist/run-worker.js') }),
]);

// Where the library's functions lie, found once here instead of by every process that reads the
// library (server/src/model/library/spans.ts): a throwaway bundle parses the shipped copy and
// writes server/dist/library/spans.json beside it.
const spansTool = join(root, 'server', 'dist', 'library-spans.js');
await build({ ...common, sourcemap: false, entryPoints: [join(root, 'scripts/library-spans.ts')], outfile: spansTool });
try {
  execFileSync(process.execPath, [spansTool], { stdio: 'inherit' });
} finally {
  rmSync(spansTool, { force: true });
}
