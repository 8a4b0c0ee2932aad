// `npm run fuzz`: a long property-based and mutation fuzz run over the static pipeline.
// Usage: node scripts/fuzz.mjs [--cases N] [--seed S] [--round R]   (see test/fuzz/README.md)
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const res = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'fuzz', 'run.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(res.status ?? 1);
