// The build's spans of the library (model/library/spans.ts) make reading it faster, never
// different: with them no library text is parsed and every era's functions are the same; spans
// computed on other layers are not used; the spans the build wrote beside the bundle are the
// ones a parse of that copy finds. This file's process installs its own layers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { readEngineAssets } from '../../server/src/engine-assets';
import { eras, installLibrary, libraryFunctions, libraryParses, librarySpans, type LayerSource } from '../../server/src/model/library/index';
import { isLibrarySpans } from '../../server/src/model/library/spans';

before(() => initEngine());

/** Every era's functions: name, the file that wrote it, its text and its lines' origins. */
const everyEra = () => Object.fromEntries(eras().map((e) => [e, Object.fromEntries([...libraryFunctions(e)].map(([n, f]) => [n, f]))]));

test('with the spans of the installed layers, every era reads the same and nothing is parsed', () => {
  const { library } = readEngineAssets();
  installLibrary(library);
  const parsed = everyEra();
  assert.ok(libraryParses() > 0, 'without spans the library is parsed');
  const spans = librarySpans();
  installLibrary(library, spans);
  assert.deepEqual(everyEra(), parsed);
  assert.equal(libraryParses(), 0);
});

test('spans of other layers are not used: an edited layer is parsed and read as it now is', () => {
  const { library } = readEngineAssets();
  installLibrary(library);
  const spans = librarySpans();
  const base = library[0];
  const edited: LayerSource[] = [
    { ...base, files: base.files.map((f, i) => (i === 0 ? { ...f, text: `int kpr_added(void)\n{\n\treturn 1;\n}\n\n${f.text}` } : f)) },
    ...library.slice(1),
  ];
  installLibrary(edited, spans);
  const era = eras()[0];
  assert.equal(libraryFunctions(era).get('kpr_added')?.text, 'int kpr_added(void)\n{\n\treturn 1;\n}\n');
  assert.ok(libraryParses() > 0);
  installLibrary(library);
});

test('spans read from a file are taken only when they have the shape of spans', () => {
  const table: [unknown, boolean][] = [
    [{ hash: 'h', files: { 'a/b.c': [['f', 0, 3]] }, composed: { 'a/c.c.patch|f': 'f' } }, true],
    [{ hash: 'h', files: {}, composed: {} }, true],
    [null, false],
    [[], false],
    [{ hash: 1, files: {}, composed: {} }, false],
    [{ hash: 'h', files: { 'a/b.c': [['f', 0]] }, composed: {} }, false],
    [{ hash: 'h', files: { 'a/b.c': [['f', '0', 3]] }, composed: {} }, false],
    [{ hash: 'h', files: {}, composed: { k: null } }, false],
  ];
  assert.deepEqual(table.map(([v]) => isLibrarySpans(v)), table.map(([, ok]) => ok));
});

test('the build wrote the spans a parse of the bundled library finds', () => {
  const dist = join(__dirname, '..', '..', 'server', 'dist', 'library');
  assert.ok(existsSync(join(dist, 'spans.json')), 'run the build (node scripts/build.mjs) first');
  const written: unknown = JSON.parse(readFileSync(join(dist, 'spans.json'), 'utf8'));
  const { library } = readEngineAssets();
  // The bundled copy is the sources' library without its .ts and .md files: the same layers.
  installLibrary(library);
  assert.deepEqual(written, librarySpans());
});
