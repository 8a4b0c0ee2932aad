// `npm run package` builds an installable .vsix offline, holding the bundles and both WASM files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './kpr';

const dir = mkdtempSync(join(tmpdir(), 'kpr-vsix-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Names in a zip's central directory (a .vsix is a zip), read without any unzip tool. */
function zipEntries(zip: Buffer): string[] {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'zip end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

test('package builds a .vsix with the bundles, the grammar and the tree-sitter WASM files', () => {
  const out = join(dir, 'kpr.vsix');
  // --no-build: other test files run the bundle meanwhile, so it must not be rewritten under
  // them (npm test has just built it). stdin is closed so that a vsce prompt fails, not waits.
  const res = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', out, '--no-build'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  assert.equal(res.status, 0, res.stderr + res.stdout);
  assert.ok(existsSync(out));
  const names = zipEntries(readFileSync(out));
  for (const name of [
    'extension/package.json',
    'extension/client/dist/extension.js',
    'extension/server/dist/kpr.js',
    'extension/server/dist/tree-sitter.wasm',
    'extension/server/dist/tree-sitter-c.wasm',
    'extension/syntaxes/kernel-patch.tmLanguage.json',
    'extension/syntaxes/language-configuration.json',
  ]) {
    assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  }
  assert.deepEqual(names.filter((n) => n.includes('node_modules') || n.includes('/src/') || n.endsWith('.map')), [], 'no sources, maps or node_modules');
});
