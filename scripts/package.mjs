// Builds the installable extension: bundles with scripts/build.mjs, then packs the .vsix with
// @vscode/vsce's API, offline and without node_modules (esbuild has bundled every dependency).
// Usage: node scripts/package.mjs [--out FILE] [--no-build]
//   --out: default kernel-patch-reasoner.vsix at the root; --no-build: pack the bundles already built.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = outFlag >= 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(root, 'kernel-patch-reasoner.vsix');

if (!process.argv.includes('--no-build')) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const require = createRequire(join(root, 'package.json'));
const { createVSIX } = require('@vscode/vsce');
try {
  // skipLicense is not set: a missing LICENSE would make vsce prompt, and LICENSE is in the repo.
  await createVSIX({ cwd: root, packagePath: out, dependencies: false, allowMissingRepository: true });
  console.log(`packaged ${out}`);
} catch (err) {
  console.error(`package failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
