// Runs the built kpr bundle (server/dist/kpr.js) as a child process for the CLI tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const kprBundle = join(repoRoot, 'server', 'dist', 'kpr.js');

export interface KprRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKpr(args: readonly string[], cwd = repoRoot): KprRun {
  if (!existsSync(kprBundle)) throw new Error(`${kprBundle} is missing: run "node scripts/build.mjs" first`);
  // The timeout turns a hang into a failure instead of a stuck test run.
  const res = spawnSync(process.execPath, [kprBundle, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
