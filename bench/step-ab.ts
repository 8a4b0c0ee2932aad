// `node --import tsx bench/step-ab.ts REV`: the model's step (Interpreter.step) of the working
// tree against the same step at git revision REV, in one process, over the same recorded steps
// (bench/step-ab-run.ts says how). For changes to the interpreter and the model too small to
// show in whole `kpr` runs on a loaded machine: the two alternate within each round, and each
// round's ratio is taken, so the load of the moment cancels out. Both are bundled with esbuild
// as the CLI is (tsx wraps every closure in a naming helper, which would skew the comparison).
// SHAPE=2x2 picks the shape (default 1x2), N the steps recorded (40000), ROUNDS (16);
// STEP_AB_NODE_FLAGS are node's flags for the measured process (`--cpu-prof --cpu-prof-dir=D`).
// Needs git and tar; extracts REV's server/src and copies the working tree's into a scratch
// folder, removed afterwards.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { seedsDir } from '../test/support/seeds';

const root = join(__dirname, '..');
const rev = process.argv[2];

async function main(): Promise<number> {
  if (!rev) { console.error('usage: node --import tsx bench/step-ab.ts REV  (a git revision to compare the working tree with)'); return 2; }
  const seed = readdirSync(seedsDir).find((n) => n.startsWith('000_'));
  if (!seed) { console.error(`no seed 000 in ${seedsDir}`); return 2; }
  const dir = mkdtempSync(join(tmpdir(), 'kpr-step-ab-'));
  try {
    const revDir = join(dir, 'rev');
    const treeDir = join(dir, 'tree');
    mkdirSync(revDir);
    const archive = spawnSync('sh', ['-c', `git -C "${root}" archive "$0" server/src | tar -x -C "${revDir}"`, rev], { encoding: 'utf8' });
    if (archive.status !== 0) { console.error(`cannot extract ${rev}: ${archive.stderr.trim()}`); return 2; }
    cpSync(join(root, 'server', 'src'), join(treeDir, 'server', 'src'), { recursive: true });
    const copies: Record<string, string> = {
      'step-ab-base.ts': join(revDir, 'server', 'src', 'model', 'interpreter.ts'),
      'step-ab-tree.ts': join(treeDir, 'server', 'src', 'model', 'interpreter.ts'),
    };
    const out = join(dir, 'step-ab.js');
    await build({
      entryPoints: [join(root, 'bench', 'step-ab-run.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
      nodePaths: [join(root, 'node_modules')],
      define: { 'import.meta.url': '__kpr_import_meta_url' }, banner: { js: 'var __kpr_import_meta_url = require("url").pathToFileURL(__filename).href;' },
      plugins: [{
        name: 'base-revision',
        setup(b) {
          // Only these two files' imports go to the copies; what a copy imports stays in it.
          b.onResolve({ filter: /model\/interpreter$/ }, (args) => {
            const to = copies[args.importer.split(/[\\/]/).pop() ?? ''];
            return to === undefined ? undefined : { path: to };
          });
        },
      }],
    });
    // The bundle finds the seed and bench/scenarios through the environment (its own folder is
    // the scratch one), and the engine reads its assets beside it, as the built CLI's are (node scripts/build.mjs).
    for (const f of ['library', 'tree-sitter.wasm', 'tree-sitter-c.wasm']) symlinkSync(join(root, 'server', 'dist', f), join(dir, f));
    const flags = (process.env.STEP_AB_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
    const run = spawnSync('node', [...flags, out], { stdio: 'inherit', env: { ...process.env, KPR_ROOT: root, STEP_AB_SEED: join(seedsDir, seed) } });
    return run.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then((code) => { process.exitCode = code; });
