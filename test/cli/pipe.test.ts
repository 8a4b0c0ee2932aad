// A reader that closes kpr's output early (`kpr run ... | head`) ends kpr quietly with the status
// of a tool killed by SIGPIPE, and a search's live progress line stays off standard error when
// that is not a terminal (in a log every rewrite would be a line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { kprBundle, repoRoot } from './kpr';
import { seedsDir, seedsSkip } from '../support/seeds';

test('kpr run whose stdout is closed early: exit 141, no stack trace, no progress line in a log', { skip: seedsSkip() }, async () => {
  // The 1x2 shape searches for more than a second, past the point where progress would show.
  const args = ['run', 'invalidate-faults-1x2', '--patch', join(seedsDir, '000_969bb57672f63a5c.txt'), '--side', 'post',
    '--scenarios', join(repoRoot, 'bench', 'scenarios'), '--format', 'json'];
  const child = spawn(process.execPath, [kprBundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  const timer = setTimeout(() => child.kill(), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  assert.deepEqual({ code, stderr }, { code: 141, stderr: '' });
});
