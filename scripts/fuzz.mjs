// `npm run fuzz`: a long property-based and mutation fuzz run.
//   node scripts/fuzz.mjs [--cases N] [--seed S] [--round R]                  the static pipeline
//   node scripts/fuzz.mjs --model [--cases N] [--seed S] [--round R] [--states MAX]   the model tier
// (see test/fuzz/README.md). Through npm: `npm run fuzz -- --model --cases 500`.
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const args = process.argv.slice(2);
const model = args.includes('--model');
const script = join(root, 'test', 'fuzz', model ? 'run-model.ts' : 'run.ts');
const res = spawnSync(process.execPath, ['--import', 'tsx', script, ...args.filter((a) => a !== '--model')], { cwd: root, stdio: 'inherit' });
process.exit(res.status ?? 1);
