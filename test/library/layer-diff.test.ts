// A later layer may state a function as a diff against the era before it (README, "Layers written
// as diffs"): layers in, composed functions with each line's origin, and load errors out. This
// file's process installs its own layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { eras, installLibrary, layerFunctions, libraryErrors, libraryFunctions, type LayerSource } from '../../server/src/model/library/index';
import { applyFunctionDiff, readLayerDiff } from '../../server/src/model/library/layer-diff';
import { readEngineAssets } from '../../server/src/engine-assets';
import { unifiedDiff } from '../../scripts/layer-diff';

const base = [
  'static int',
  'f(int a)',
  '{',
  '\tint x = a;',
  '',
  '\tx = x + 1;',
  '\treturn x;',
  '}',
  '',
  'int g(void)',
  '{',
  '\treturn 1;',
  '}',
  '',
].join('\n');

/** A layer `2.6.2` whose one diff file is `lines`. */
function withDiff(lines: string[]): LayerSource[] {
  return [
    { layer: '2.6.1', files: [{ name: 'a.c', text: base }] },
    { layer: '2.6.2', files: [{ name: 'a.c.patch', text: lines.join('\n') + '\n' }] },
  ];
}

const header = ['f() in 2.6.2: x grows by two.', '', '--- a/mm/a.c', '+++ b/mm/a.c'];

test('a diff changes the earlier function; each line keeps the layer file and line it comes from', async () => {
  await initEngine();
  installLibrary(withDiff([...header, '@@ -4,4 +4,5 @@ f(int a)', ' \tint x = a;', ' ', '-\tx = x + 1;', '+\tx = x + 2;', '+\tbarrier();', ' \treturn x;']));
  const f = libraryFunctions('2.6.2').get('f')!;
  assert.deepEqual({ errors: libraryErrors(), file: f.file, text: f.text, origin: f.origin, g: libraryFunctions('2.6.2').get('g')!.file, before: libraryFunctions('2.6.1').get('f')!.text }, {
    errors: [],
    file: '2.6.2/a.c.patch',
    text: 'static int\nf(int a)\n{\n\tint x = a;\n\n\tx = x + 2;\n\tbarrier();\n\treturn x;\n}\n',
    origin: [0, 1, 2, 3, 4].map((line) => ({ file: '2.6.1/a.c', line }))
      .concat([{ file: '2.6.2/a.c.patch', line: 8 }, { file: '2.6.2/a.c.patch', line: 9 }, { file: '2.6.1/a.c', line: 6 }, { file: '2.6.1/a.c', line: 7 }]),
    g: '2.6.1/a.c',
    before: base.split('\n').slice(0, 8).join('\n') + '\n',
  });
});

test('a diff whose context is not the earlier text is a load error naming file, function and hunk; the function is left out', async () => {
  await initEngine();
  installLibrary(withDiff([...header, '@@ -4,4 +4,4 @@ f(int a)', ' \tint x = a;', ' ', '-\tx = x + 3;', '+\tx = x + 2;', ' \treturn x;']));
  assert.deepEqual({ errors: libraryErrors(), has: libraryFunctions('2.6.2').has('f') }, {
    errors: ['2.6.2/a.c.patch: f(), hunk @@ -4,4 +4,4 @@: its line 6 of the earlier f() is `x = x + 1;`, the hunk expects `x = x + 3;`'],
    has: false,
  });
});

test('a hunk at the wrong line does not apply (no offset, no fuzz)', async () => {
  await initEngine();
  installLibrary(withDiff([...header, '@@ -5,4 +5,4 @@ f(int a)', ' \tint x = a;', ' ', '-\tx = x + 1;', '+\tx = x + 2;', ' \treturn x;']));
  assert.deepEqual(libraryErrors(), ['2.6.2/a.c.patch: f(), hunk @@ -5,4 +5,4 @@: its line 5 of the earlier f() is ``, the hunk expects `int x = a;`']);
});

test('a diff of a function the earlier era lacks, or one naming none, is a load error', async () => {
  await initEngine();
  installLibrary(withDiff([...header, '@@ -1,1 +1,1 @@ h(void)', '-int h(void)', '+int h(int a)', '@@ -2,1 +2,1 @@', '-x', '+y']));
  assert.deepEqual(libraryErrors(), [
    '2.6.2/a.c.patch: @@ -2,1 +2,1 @@ names no function after its @@',
    '2.6.2/a.c.patch: h() is not in the 2.6.1 library to be changed',
  ]);
});

test('a diff that renames derives a new function; the one it came from stays', async () => {
  await initEngine();
  installLibrary(withDiff([...header, '@@ -1,3 +1,3 @@ f(int a)', ' static int', '-f(int a)', '+f2(int a)', ' {']));
  const fns = libraryFunctions('2.6.2');
  assert.deepEqual({ errors: libraryErrors(), f: fns.get('f')!.file, f2: fns.get('f2')!.file, head: fns.get('f2')!.text.split('\n').slice(0, 2) }, {
    errors: [], f: '2.6.1/a.c', f2: '2.6.2/a.c.patch', head: ['static int', 'f2(int a)'],
  });
});

test('a diff the patch reader finds malformed is a load error', async () => {
  await initEngine();
  installLibrary(withDiff([...header, '@@ -4,1 +4,1 @@ f(int a)', '-\tint x = a;', '+\tint x = a + 0;', '+\tbarrier();']));
  assert.deepEqual(libraryErrors(), ['2.6.2/a.c.patch: hunk body is longer than its header (the header promises 1 old and 1 new lines), at `+\tbarrier();`']);
});

// scripts/layer-diff.ts writes a layer's diff from the two texts: its hunks, applied, give the
// later text back, for every function a shipped layer states as a diff (and one it writes whole).
test('the layer-diff script\'s hunks apply strictly and give the later text back', async () => {
  await initEngine();
  installLibrary(readEngineAssets().library);
  const all = eras();
  const cases: string[] = [];
  for (let i = 1; i < all.length; i++) {
    const earlier = libraryFunctions(all[i - 1]!);
    for (const [name, fn] of layerFunctions(all[i]!)) {
      const from = earlier.get(name) ?? (name === 'truncate_inode_pages_range' ? earlier.get('truncate_inode_pages') : undefined);
      if (!from) continue;
      const lines = unifiedDiff(from.text.replace(/\n$/, '').split('\n'), fn.text.replace(/\n$/, '').split('\n'), `${name}(x)`);
      const text = ['--- a/mm/x.c', '+++ b/mm/x.c', ...lines, ''].join('\n');
      const read = readLayerDiff('9.9.9/x.c.patch', text);
      const got = read.changes.length === 0 ? from : applyFunctionDiff('9.9.9/x.c.patch', name, from, read.changes[0]!.hunks);
      cases.push(`${all[i]} ${name}: ${read.errors.join('; ') || ('error' in got ? got.error : got.text === fn.text ? 'same' : 'differs')}`);
    }
  }
  assert.ok(cases.length >= 20, `${cases.length} functions`);
  assert.deepEqual(cases.filter((c) => !c.endsWith(': same')), []);
});
