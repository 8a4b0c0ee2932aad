// The build's lowered library (verdict/lowered-library.ts) makes planning faster, never different:
// with it every era's library layer is the same step programs and nothing is lowered; one lowered
// from other layers, for another data model, or bytes that do not read as one are not used; the
// file the build wrote beside the bundle holds what lowering that copy gives. This file's process
// installs its own layers and lowered library.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { readEngineAssets } from '../../server/src/engine-assets';
import { eras, installedLibraryHash, installLibrary, type LayerSource } from '../../server/src/model/library/index';
import { decodeLoweredLibrary, encodeLoweredLibrary, prebuiltLowering, useLoweredLibrary, type LoweredLibrary } from '../../server/src/verdict/lowered-library';
import { lowerLibrary } from '../../server/src/verdict/side-program';
import { serialize } from 'node:v8';

before(() => initEngine());
after(() => useLoweredLibrary(undefined));

const lowerAll = (abi: 'lp64' | 'ilp32' = 'lp64'): LoweredLibrary => ({ hash: installedLibraryHash(), abi, eras: Object.fromEntries(eras().map((e) => [e, lowerLibrary(e, abi)])) });

test('a lowered library read back gives every era the step programs lowering gives', () => {
  installLibrary(readEngineAssets().library);
  const lowered = lowerAll();
  assert.ok(Object.keys(lowered.eras).length >= 9, 'every era is lowered');
  useLoweredLibrary(decodeLoweredLibrary(encodeLoweredLibrary(lowered)));
  for (const era of eras()) {
    const got = prebuiltLowering(era, 'lp64');
    assert.ok(got, `${era} is read from the lowered library`);
    assert.deepEqual(got, lowered.eras[era], era);
  }
  assert.equal(prebuiltLowering('9.9.9', 'lp64'), undefined);
});

test('not used for another data model, nor once the layers differ from those lowered', () => {
  const { library } = readEngineAssets();
  installLibrary(library);
  const era = eras()[1];
  useLoweredLibrary(decodeLoweredLibrary(encodeLoweredLibrary(lowerAll())));
  assert.ok(prebuiltLowering(era, 'lp64'));
  assert.equal(prebuiltLowering(era, 'ilp32'), undefined);
  const base = library[0];
  installLibrary([{ ...base, files: base.files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n/* edited */\n` } : f)) } satisfies LayerSource, ...library.slice(1)]);
  assert.equal(prebuiltLowering(era, 'lp64'), undefined);
  installLibrary(library);
});

test('bytes that do not read as a lowered library are refused, never thrown on', () => {
  const table: [Uint8Array, boolean][] = [
    [new Uint8Array([1, 2, 3]), false],
    [serialize(null), false],
    [serialize({ hash: 'h', abi: 'lp64', eras: {} }), true],
    [serialize({ hash: 'h', abi: 'x86', eras: {} }), false],
    [serialize({ hash: 1, abi: 'lp64', eras: {} }), false],
    [serialize({ hash: 'h', abi: 'lp64', eras: { '2.6.10': 'text' } }), false],
  ];
  assert.deepEqual(table.map(([b]) => decodeLoweredLibrary(b) !== undefined), table.map(([, ok]) => ok));
  // An era whose own bytes do not read is lowered as before (prebuiltLowering answers none).
  installLibrary(readEngineAssets().library);
  const era = eras()[0];
  useLoweredLibrary(decodeLoweredLibrary(serialize({ hash: installedLibraryHash(), abi: 'lp64', eras: { [era]: new Uint8Array([9, 9]) } })));
  assert.equal(prebuiltLowering(era, 'lp64'), undefined);
});

test('the build wrote the step programs lowering the bundled library gives', () => {
  const file = join(__dirname, '..', '..', 'server', 'dist', 'library', 'lowered.bin');
  assert.ok(existsSync(file), 'run the build (node scripts/build.mjs) first');
  // The bundled copy is the sources' library without its .ts and .md files: the same layers.
  installLibrary(readEngineAssets().library);
  useLoweredLibrary(decodeLoweredLibrary(readFileSync(file)));
  for (const era of eras()) assert.deepEqual(prebuiltLowering(era, 'lp64'), lowerLibrary(era, 'lp64'), era);
});
