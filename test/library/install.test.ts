// The era library is what it is handed (installLibrary), not what a folder holds: layers in,
// eras, composed functions and release facts out. This file's process installs its own layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { eraTraits, eras, installLibrary, layerInfo, libraryFunctions, type LayerSource } from '../../server/src/model/library/index';

const layers: LayerSource[] = [
  { layer: '2.6.1', files: [{ name: 'b.c', text: 'int g(void)\n{\n\treturn 2;\n}\n' }], info: '{"date":"2004-01-09","removes":["f"],"traits":{"sharedVmaList":"i_mmap"}}' },
  { layer: '2.5.9', files: [{ name: 'a.c', text: 'int f(void)\n{\n\treturn 1;\n}\n\nint g(void)\n{\n\treturn 1;\n}\n' }] },
  { layer: 'README', files: [{ name: 'x.c', text: 'int h(void) { return 0; }\n' }] },
];

const expected = {
  eras: ['2.5.9', '2.6.1'],
  base: { f: '2.5.9/a.c', g: '2.5.9/a.c' },
  later: { g: '2.6.1/b.c' },
  laterInfo: { release: '2.6.1', date: '2004-01-09', removes: ['f'], traits: { sharedVmaList: 'i_mmap' } },
  laterTraits: { sharedVmaList: 'i_mmap', unmapBumpsTruncateCount: true },
};

test('installed layers: release folders only, oldest first; later layers replace and remove by name', async () => {
  await initEngine();
  installLibrary(layers);
  const files = (era: string) => Object.fromEntries([...libraryFunctions(era)].map(([name, fn]) => [name, fn.file]));
  assert.deepEqual({
    eras: eras(),
    base: files('2.5.9'),
    later: files('2.6.1'),
    laterInfo: layerInfo('2.6.1'),
    laterTraits: eraTraits('2.6.1'),
  }, expected);
});
