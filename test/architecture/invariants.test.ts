// The invariants of ARCHITECTURE.md that the sources' imports can show, checked on every run:
// a new violation fails here. Known debts (issue 15) are listed by name with what is wrong; a
// debt that is paid must leave its list too, so the lists only ever shrink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../protocol/client';
import { tsFiles } from '../support/ts-files';
import { oneBasedForms } from './one-based';

const SRC = join(repoRoot, 'server', 'src');

interface Source { file: string; code: string; imports: { target: string; typeOnly: boolean }[] }

/** Comments out: a comment naming a module or a call is not a use. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

function sources(): Source[] {
  const files = tsFiles(SRC);
  const known = new Set(files);
  return files.map((path) => {
    const code = withoutComments(readFileSync(path, 'utf8'));
    const imports: Source['imports'] = [];
    for (const m of code.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
      const spec = m[2]!;
      let target = spec;
      if (spec.startsWith('.')) {
        const base = resolve(dirname(path), spec);
        target = relative(SRC, [`${base}.ts`, join(base, 'index.ts')].find((p) => known.has(p)) ?? base);
      }
      imports.push({ target, typeOnly: m[1] !== undefined });
    }
    return { file: relative(SRC, path), code, imports };
  });
}

const SRCS = sources();
const folderOf = (file: string): string => (file.includes('/') ? file.split('/')[0]! : '.');
const inSrc = (target: string): boolean => target.endsWith('.ts');

test('the explorer knows nothing of the domain: explore/ imports only explore/ (types included)', () => {
  const bad = SRCS.filter((s) => s.file.startsWith('explore/'))
    .flatMap((s) => s.imports.filter((i) => inSrc(i.target) && !i.target.startsWith('explore/')).map((i) => `${s.file} → ${i.target}`));
  assert.deepEqual(bad, []);
});

test('only the surfaces know their protocols: no engine file imports cli/ or lsp/, and only lsp/ imports the LSP libraries', () => {
  const surfaces = new Set(['cli', 'lsp']);
  const bad = SRCS.filter((s) => !surfaces.has(folderOf(s.file))).flatMap((s) => s.imports
    .filter((i) => surfaces.has(folderOf(i.target)) || /^vscode-languageserver/.test(i.target))
    .map((i) => `${s.file} → ${i.target}`));
  assert.deepEqual(bad, []);
});

test('the engine never prints: console and process.stdout/stderr only in cli/ and lsp/', () => {
  const bad = SRCS.filter((s) => !['cli', 'lsp'].includes(folderOf(s.file)) && /\bconsole\s*\.|\bprocess\s*\.\s*(stdout|stderr)\b/.test(s.code)).map((s) => s.file);
  assert.deepEqual(bad, []);
});

/** Files that may touch the disk, and why. */
const DISK = new Map<string, string>([
  ['cli/read.ts', 'reads the FILEs kpr check is given, up to the --max-kb bound'],
  ['cli/scenarios.ts', 'kpr scenarios / run: the --scenarios folder'],
  ['lsp/replay.ts', 'the language server\'s replay log (an environment variable names it)'],
  ['scenario-folder.ts', 'reads a user-scenario folder for cli/ and lsp/ (regular files only, bounded count and size), which hand its texts to the engine\'s loader'],
  ['engine-assets.ts', 'reads tree-sitter\'s WASM and the era libraries\' layers for the entry points, which hand them to the engine'],
]);

test('only the listed files touch the disk (node:fs), each for its stated reason', () => {
  const users = SRCS.filter((s) => s.imports.some((i) => /^(node:)?fs(\/promises)?$/.test(i.target))).map((s) => s.file).sort();
  assert.deepEqual(users, [...DISK.keys()].sort(), 'a file not in DISK touches the disk, or one in DISK no longer does (take it off)');
  // The user-scenario folder is read on the surfaces' side: the engine is handed its texts.
  const readers = SRCS.filter((s) => s.imports.some((i) => i.target === 'scenario-folder.ts')).map((s) => folderOf(s.file));
  assert.deepEqual([...new Set(readers)].sort(), ['cli', 'lsp'], 'only cli/ and lsp/ read the user-scenario folder');
});

/** The files esbuild bundles as entries (scripts/build.mjs), relative to server/src. */
function entryFiles(): string[] {
  const build = readFileSync(join(repoRoot, 'scripts', 'build.mjs'), 'utf8');
  return [...build.matchAll(/entryPoints:\s*\[join\(root,\s*'server\/src\/([^']+)'\)\]/g)].map((m) => m[1]!).sort();
}

test('the engine is handed its assets: only the bundles\' entry files read them (engine-assets.ts)', () => {
  const entries = entryFiles();
  assert.deepEqual(entries, ['cli/check-worker.ts', 'cli/main.ts', 'cli/run-worker.ts', 'lsp/static-worker.ts', 'worker/worker.ts']);
  const readers = SRCS.filter((s) => s.imports.some((i) => i.target === 'engine-assets.ts')).map((s) => s.file).sort();
  assert.deepEqual(readers, entries);
});

/** The strongly connected groups of more than one node of a graph (Tarjan), each sorted, sorted by their first. */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); group.push(w); } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Files that import each other round; with types, a type shared both ways too (it belongs in a module of its own). */
function fileCycles(withTypes: boolean): string[][] {
  return cycles(new Map(SRCS.map((s) => [s.file, s.imports.filter((i) => (withTypes || !i.typeOnly) && inSrc(i.target)).map((i) => i.target)])));
}

/**
 * The layer a file belongs to: its top-level folder of server/src, except that the era libraries
 * (`model/library/`, which the front end reads as text as well as the model runs) are a layer of
 * their own; a file at the top (analysis.ts, findings.ts) is a layer by itself.
 */
function layerOf(file: string): string {
  if (file.startsWith('model/library/')) return 'model/library';
  return file.includes('/') ? file.split('/')[0]! : file;
}

/** Layers that import each other round, types included: a type is a dependency of the design. */
function layerCycles(): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const s of SRCS) {
    const from = layerOf(s.file);
    const out = edges.get(from) ?? edges.set(from, new Set()).get(from)!;
    for (const i of s.imports) if (inSrc(i.target) && layerOf(i.target) !== from) out.add(layerOf(i.target));
  }
  return cycles(new Map([...edges].map(([k, v]) => [k, [...v]])));
}

test('no import cycle between files, type imports included', () => {
  assert.deepEqual(fileCycles(true), []);
  assert.deepEqual(fileCycles(false), [], 'a cycle of value imports is never a known debt');
});

test('no import cycle between folders (layers), type imports included', () => {
  assert.deepEqual(layerCycles(), []);
});

test('the seeds folder is named in one place: test/support/seeds.ts', () => {
  // Built from pieces, so that this file does not name it.
  const naming = new RegExp(['KPR' + '_SEEDS', "'shared', " + "'seeds'", 'shared' + '/seeds'].join('|'));
  const named = [...tsFiles(join(repoRoot, 'test')), ...tsFiles(join(repoRoot, 'bench'))]
    .filter((p) => naming.test(withoutComments(readFileSync(p, 'utf8'))))
    .map((p) => relative(repoRoot, p));
  assert.deepEqual(named, ['test/support/seeds.ts']);
});

test('the client knows the server only through the protocol module: client/src imports nothing of server/src but protocol.ts', () => {
  const bad = tsFiles(join(repoRoot, 'client', 'src')).flatMap((path) => [...withoutComments(readFileSync(path, 'utf8'))
    .matchAll(/^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)]
    .map((m) => relative(repoRoot, resolve(dirname(path), m[1]!)))
    .filter((target) => target.startsWith('server/') && target !== 'server/src/protocol')
    .map((target) => `${relative(repoRoot, path)} → ${target}`));
  assert.deepEqual(bad, []);
});

test('the model decides nothing by an era\'s name: what differs between releases is data its layers declare', () => {
  const bad = SRCS.filter((s) => s.file.startsWith('model/') && /\bera\b[^;\n]*(startsWith|===|!==|\.match|\.test)\s*\(?\s*['"`/]\d/.test(s.code)).map((s) => s.file);
  assert.deepEqual(bad, []);
});

/**
 * Numbers the engine may format from a value + 1, by file and the text that shows it, and why
 * each is not a position: nothing else of the engine adds 1 to what it formats (the forms are
 * test/architecture/one-based.ts's, and test/architecture/one-based.test.ts holds the check to
 * them). A line a message is about is kept as data (`namedLine`, `Finding.window`,
 * `HunkPlacement.whyAt`) and worded by report/finding-message.ts.
 */
const ONE_BASED_COUNTERS = new Map<string, string>([
  ['explore/search.ts ${l.cycleStart + 1}', 'a livelock\'s cycle starts at a trace step, and every surface numbers trace steps from 1'],
  ['model/init.ts => p.index + 1', 'the pages a file spans: one past its highest page index, a count'],
  ['model/interpreter.ts ${t.frames.length + 1}', 'a frame\'s depth in the key of its struct locals, never shown'],
  ['verdict/scenario-system.ts ${i + 1}', 'the names of the spare threads a scenario may spawn (io1, io2, …)'],
]);

test('positions are 0-based in the engine: no engine file adds 1 to a value it formats (beyond the listed counters)', () => {
  const surfaces = new Set(['cli', 'lsp', 'report']);
  const found = SRCS.filter((s) => !surfaces.has(folderOf(s.file))).flatMap((s) => oneBasedForms(s.code).map((form) => `${s.file} ${form}`)).sort();
  assert.deepEqual(found, [...ONE_BASED_COUNTERS.keys()].sort(), 'a 1-based number in an engine message (or a listed counter that is gone: take it off)');
});

test('no array is spread into a call\'s arguments (push, unshift, Math.min/max): a long input must not overflow the stack', () => {
  const bad = SRCS.filter((s) => /(\.push|\.unshift|Math\.min|Math\.max)\(\s*\.\.\./.test(s.code)).map((s) => s.file).sort();
  assert.deepEqual(bad, []);
});

test('ARCHITECTURE.md lists exactly these checks, one line each, in this order', () => {
  const self = readFileSync(__filename, 'utf8');
  const names = [...self.matchAll(/^test\('((?:[^'\\]|\\.)*)'/gm)].map((m) => m[1]!.replace(/\\'/g, "'"));
  const doc = readFileSync(join(repoRoot, 'ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Invariants of the architecture'), doc.indexOf('What the checks hold'));
  const listed = [...section.matchAll(/^- (.*)$/gm)].map((m) => m[1]!);
  assert.deepEqual(listed, names);
});
