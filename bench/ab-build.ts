// What bench/step-ab.ts and bench/search-ab.ts share: a scratch folder with git revision REV's
// server/src and a copy of the working tree's, a bundle of a runner whose two named imports go
// one to each copy (so that the two are module graphs of their own, neither one's JIT feedback
// favouring the other), built with esbuild as the CLI is (tsx wraps every closure in a naming
// helper, which would skew the comparison), and the engine's assets beside it, as the built
// CLI's are (node scripts/build.mjs). Needs git and tar; the folder is removed afterwards.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export const root = join(__dirname, '..');

export interface AbBuild {
  rev: string;
  /** The runner to bundle (in bench/). */
  entry: string;
  /** Imports matching this are routed by their importer's file name... */
  filter: RegExp;
  /** ...to a path inside one of the copies (`dir` is the copy's root: REV's or the tree's). */
  route: Record<string, { copy: 'rev' | 'tree'; path: string }>;
  /** Working-tree files copied into both copies (bench files the runner's sides import). */
  shared?: string[];
}

/** Builds the bundle and runs it with node and `env`; the exit status of the run (2: no build). */
export async function runAb(o: AbBuild, env: Record<string, string>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kpr-ab-'));
  try {
    const copies = { rev: join(dir, 'rev'), tree: join(dir, 'tree') };
    mkdirSync(copies.rev);
    const archive = spawnSync('sh', ['-c', `git -C "${root}" archive "$0" server/src | tar -x -C "${copies.rev}"`, o.rev], { encoding: 'utf8' });
    if (archive.status !== 0) { console.error(`cannot extract ${o.rev}: ${archive.stderr.trim()}`); return 2; }
    cpSync(join(root, 'server', 'src'), join(copies.tree, 'server', 'src'), { recursive: true });
    for (const f of o.shared ?? []) for (const c of Object.values(copies)) cpSync(join(root, f), join(c, f));
    const out = join(dir, 'ab.js');
    await build({
      entryPoints: [join(root, 'bench', o.entry)], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
      nodePaths: [join(root, 'node_modules')],
      define: { 'import.meta.url': '__kpr_import_meta_url' }, banner: { js: 'var __kpr_import_meta_url = require("url").pathToFileURL(__filename).href;' },
      plugins: [{
        name: 'ab-copies',
        setup(b) {
          // Only the routed files' imports go to the copies; what a copy imports stays in it.
          b.onResolve({ filter: o.filter }, (args) => {
            const to = o.route[args.importer.split(/[\\/]/).pop() ?? ''];
            return to === undefined ? undefined : { path: join(copies[to.copy], to.path) };
          });
        },
      }],
    });
    for (const f of ['library', 'tree-sitter.wasm', 'tree-sitter-c.wasm']) symlinkSync(join(root, 'server', 'dist', f), join(dir, f));
    const flags = (process.env.AB_NODE_FLAGS ?? process.env.STEP_AB_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
    const run = spawnSync('node', [...flags, out], { stdio: 'inherit', env: { ...process.env, KPR_ROOT: root, ...env } });
    return run.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
