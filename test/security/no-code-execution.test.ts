// Nothing from a patch, a mail or a user scenario is executed or evaluated as code. This file
// checks the sources: no evaluator, no process spawning, no dynamic loading anywhere in the server
// or the client, except the uses listed in ALLOWED, each with the reason it is safe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../protocol/client';
import { tsFiles } from '../support/ts-files';

/** What must not appear, by name; each regex is matched against code with comments removed. */
const FORBIDDEN: { name: string; re: RegExp }[] = [
  { name: 'eval', re: /(?<![\w$.])eval\s*\(|\[\s*['"`]eval['"`]\s*\]/ },
  { name: 'Function constructor', re: /\bnew\s+Function\b|(?<![\w$.])Function\s*\(\s*['"`]/ },
  { name: 'node:vm', re: /['"`](node:)?vm['"`]|\bvm\s*\.\s*(runIn\w*|Script|compileFunction|SourceTextModule)\b/ },
  { name: 'child_process', re: /['"`](node:)?child_process['"`]/ },
  { name: 'worker thread', re: /\bnew\s+Worker\s*\(/ },
  { name: 'timer with a string body', re: /\bset(Timeout|Interval|Immediate)\s*\(\s*['"`]/ },
  { name: 'dynamic import of a computed name', re: /(?<![\w$.])import\s*\(\s*[^'"`\s)]/ },
  { name: 'require of a computed name', re: /(?<![\w$.])require\s*\(\s*[^'"`\s)]/ },
  { name: 'WebAssembly compiled from bytes', re: /\bWebAssembly\s*\.\s*(compile|instantiate|Module)\b/ },
];

/**
 * The allow-list: file (relative to the repository), forbidden name, and why the use is safe.
 * The explore pool runs searches on worker threads, and the script it starts is always our own
 * bundle `server/dist/worker.js` (or worker.ts in tests), never a path from a document or a
 * scenario. No file may use child_process, eval, Function or vm: there is no entry for them.
 */
const ALLOWED: { file: string; name: string; why: string }[] = [
  { file: 'server/src/explore/worker-pool.ts', name: 'worker thread', why: "starts join(__dirname, 'worker.js'), the bundle's own worker (opts.workerFile only from code)" },
  { file: 'server/src/cli/check-job.ts', name: 'worker thread', why: "starts join(__dirname, 'check-worker.js'), the bundle's own per-document worker (workerFile only from code)" },
  { file: 'server/src/cli/run-job.ts', name: 'worker thread', why: "starts join(__dirname, 'run-worker.js'), the bundle's own worker for `kpr run` (workerFile only from code)" },
];

/** String literals that name a module or global the patterns look for stay as they are. */
const SENSITIVE = /^((node:)?(vm|child_process)|eval|Function)$/;

/** Removes comments (line and block) and the contents of string literals without interpolation. */
function codeOnly(text: string): string {
  // Other strings become 'x' so that the patterns above still see `require('x')` as literal and
  // text in messages raises no alarm; template literals are left alone since `${}` may hold code.
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, (m) => (SENSITIVE.test(m.slice(1, -1)) ? m : "'x'"))
    .replace(/"(?:[^"\\\n]|\\.)*"/g, (m) => (SENSITIVE.test(m.slice(1, -1)) ? m : '"x"'));
}


const files = [...tsFiles(join(repoRoot, 'server', 'src')), ...tsFiles(join(repoRoot, 'client', 'src'))];
const hits: { file: string; name: string; line: number }[] = [];
for (const path of files) {
  const file = relative(repoRoot, path).split('\\').join('/');
  codeOnly(readFileSync(path, 'utf8')).split('\n').forEach((text, i) => {
    for (const f of FORBIDDEN) if (f.re.test(text)) hits.push({ file, name: f.name, line: i + 1 });
  });
}

test('the scan covers the server and the client sources', () => {
  assert.ok(files.some((f) => f.endsWith(join('server', 'src', 'lsp', 'server.ts'))));
  assert.ok(files.some((f) => f.endsWith(join('client', 'src', 'extension.ts'))));
  assert.ok(files.length > 50, `only ${files.length} files found`);
});

test('no evaluator, spawn or dynamic loading outside the allow-list', () => {
  const unexpected = hits.filter((h) => !ALLOWED.some((a) => a.file === h.file && a.name === h.name));
  assert.deepEqual(unexpected.map((h) => `${h.file}:${h.line}: ${h.name}`), []);
});

test('every allow-list entry is still needed (no stale permission lingers)', () => {
  for (const a of ALLOWED) assert.ok(hits.some((h) => h.file === a.file && h.name === a.name), `${a.file} no longer uses ${a.name}: remove it from ALLOWED`);
});

test('the worker pool only starts the bundled worker script', () => {
  const pool = readFileSync(join(repoRoot, 'server', 'src', 'explore', 'worker-pool.ts'), 'utf8');
  const starts = [...pool.matchAll(/new\s+Worker\s*\(\s*([^,)]+)/g)].map((m) => m[1]!.trim());
  assert.equal(starts.length, 1, 'one place starts workers');
  const variable = starts[0]!;
  const def = new RegExp(`const\\s+${variable}\\s*=\\s*this\\.opts\\.workerFile\\s*\\?\\?\\s*join\\(__dirname,\\s*'worker\\.js'\\)`);
  assert.match(pool, def, 'the worker script is the one beside the bundle unless code passes another');
});

test('the patterns do catch what they are meant to catch (the scan is not vacuous)', () => {
  const samples: [string, string][] = [
    ['eval', 'const v = eval(text);'],
    ['eval', 'globalThis["eval"](s)'],
    ['Function constructor', 'const f = new Function("a", body);'],
    ['node:vm', "import vm from 'node:vm';"],
    ['node:vm', 'vm.runInNewContext(code)'],
    ['child_process', "import { spawn } from 'child_process';"],
    ['worker thread', 'const w = new Worker(path);'],
    ['timer with a string body', "setTimeout('alert(1)', 0)"],
    ['dynamic import of a computed name', 'await import(name)'],
    ['require of a computed name', 'require(path)'],
    ['WebAssembly compiled from bytes', 'WebAssembly.instantiate(bytes)'],
  ];
  for (const [name, code] of samples) {
    const re = FORBIDDEN.find((f) => f.name === name)!.re;
    assert.ok(re.test(codeOnly(code)), `${name} not caught in: ${code}`);
  }
  // And not what is harmless: words that merely contain the names, comments, plain strings.
  for (const code of ['retrieval(x)', 'this.evaluate(x)', '// eval(x) in a comment', 'const s = "new Function(";', "import { join } from 'node:path';", "require('node:fs')"]) {
    assert.ok(!FORBIDDEN.some((f) => f.re.test(codeOnly(code))), `false alarm on: ${code}`);
  }
});
