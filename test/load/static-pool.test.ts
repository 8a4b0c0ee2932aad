// The static tier's workers (server/src/lsp/static-pool.ts) driven directly, with the built worker
// (server/dist/static-worker.js: run `node scripts/build.mjs` first). What is checked is what the
// pool says happened and in which order, never how long it took.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { StaticPool, type StaticPoolOptions } from '../../server/src/lsp/static-pool';
import { repoRoot, within } from '../protocol/client';
import { bigPatch, cutOffPatch } from './raw';

const workerFile = join(repoRoot, 'server', 'dist', 'static-worker.js');

/** A pool whose log lines can be awaited. */
function pool(opts: StaticPoolOptions = {}): { pool: StaticPool; next(re: RegExp, what: string): Promise<string> } {
  if (!existsSync(workerFile)) throw new Error(`${workerFile} is missing: run "node scripts/build.mjs" first`);
  const waiters: { re: RegExp; resolve(line: string): void }[] = [];
  const p = new StaticPool({
    workerFile,
    ...opts,
    log: (line) => {
      for (const w of [...waiters]) if (w.re.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
    },
  });
  return { pool: p, next: (re, what) => within(60_000, what, new Promise((resolve) => waiters.push({ re, resolve }))) };
}

const request = (uri: string, text: string, maxMs = 60_000) => ({ uri, version: 1, label: `${uri} v1`, text, path: `${uri}.patch`, maxMs });

test('a document analysed on a worker gets the findings the facade gives in-process', async () => {
  const { pool: p } = pool();
  try {
    await initEngine();
    const { text } = cutOffPatch('pool_probe', 3);
    const r = await within(60_000, 'the analysis', p.analyse(request('probe', text)).result);
    assert.equal(r.kind, 'done');
    if (r.kind === 'done') assert.deepEqual(r.analysis.findings, analyze(text, 'probe.patch').findings);
  } finally {
    await p.dispose();
  }
});

test('a cancelled heavy analysis settles at once; its worker is terminated and replaced', async () => {
  // Everything over 1 KB is heavy here, so the 256 KB patch runs on the heavy lane.
  const { pool: p, next } = pool({ heavyChars: 1024 });
  try {
    const started = next(/static analysis of big v1 started/, 'the start of the analysis');
    const h = p.analyse(request('big', bigPatch(256 * 1024)));
    await started;
    const dropped = next(/static analysis of big v1 dropped \(closed\)/, 'the drop');
    const order: string[] = [];
    const settled = h.result.then((r) => order.push(`settled ${r.kind}`));
    h.cancel('closed');
    await settled;
    order.push(await dropped);
    assert.equal(order[0], 'settled cancelled', 'the caller stops waiting before the worker is gone');
    assert.match(order[1]!, /its worker was terminated/);
    // The lane works again on a fresh worker.
    const again = await within(60_000, 'the next analysis', p.analyse(request('small', cutOffPatch('after', 2).text)).result);
    assert.equal(again.kind, 'done');
  } finally {
    await p.dispose();
  }
});

test('an analysis past its time bound is stopped, and the document counts as heavy next time', async () => {
  const { pool: p, next } = pool();
  try {
    const text = bigPatch(256 * 1024);
    // 50 ms against the seconds a 256 KB patch needs.
    const r = await within(60_000, 'the stop', p.analyse(request('slow', text, 50)).result);
    assert.equal(r.kind, 'stopped');
    if (r.kind === 'stopped') assert.equal(r.reason, 'time');
    const started = next(/static analysis of slow v1 started \(\d+ KB, heavy lane\)/, 'the heavy lane');
    const h = p.analyse(request('slow', text, 50));
    await started;
    assert.equal((await h.result).kind, 'stopped');
  } finally {
    await p.dispose();
  }
});

test('a worker that cannot start ends the job as stopped, with the reason', async () => {
  const p = new StaticPool({ workerFile: join(repoRoot, 'no-such-dir', 'static-worker.js') });
  try {
    const r = await within(60_000, 'the failure', p.analyse(request('x', 'text')).result);
    assert.equal(r.kind, 'stopped');
    if (r.kind === 'stopped') {
      assert.equal(r.reason, 'crash');
      assert.match(r.detail ?? '', /no-such-dir|Cannot find module/);
    }
  } finally {
    await p.dispose();
  }
});
