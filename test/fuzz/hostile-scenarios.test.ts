// Fuzz class for hostile scenario files (issue 16.1): a scenarios folder holds a good scenario
// and up to three files made from it by hostile edits (a value at a random place replaced by a
// huge, negative, fractional, wrongly typed, deeply nested or control-character value; a key
// deleted or added; the text cut or a byte overwritten). Oracle: the loader never throws; the good
// scenario always loads; every file is either loaded or named with its reason, never both and
// never silently dropped; no message carries a raw control character; and every scenario it
// accepts builds its initial model state on the 2.6.10 library without throwing and with at most
// the pages its vma bounds allow, which is what kept a 400 GB `size` from taking the process down.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { initEngine } from '../support/engine';
import { loadUserScenarios } from '../../server/src/scenario-folder';
import { ScenarioSystem } from '../../server/src/verdict/scenario-system';
import { libraryLayer } from '../../server/src/verdict/side-program';
import { makeProgram } from '../../server/src/model/program';
import { repoRoot } from '../protocol/client';

type Json = unknown;
const GOOD = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'scenarios', 'good', 'zz-truncate-twice.json'), 'utf8')) as Record<string, Json>;

/** The JSON pointers of a value down to depth 6 (the scenario schema is shallower), as key paths. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (at.length >= 6) return out;
  if (Array.isArray(v)) v.forEach((x, i) => { for (const p of paths(x, [...at, i])) out.push(p); });
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) for (const p of paths(x, [...at, k])) out.push(p);
  return out;
}

function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const HOSTILE: Json[] = [1e300, -1, -1e300, 0, 0.5, 2 ** 53, 409_600_000_000, 1e9, 4_294_967_296, 'NaN', '', 'x'.repeat(100_000),
  '\u001b]0;owned\u0007', 'a\u202eb', null, true, [], {}, nested(2_000), Array.from({ length: 5_000 }, (_, i) => ({ index: i, uptodate: true }))];

type Edit =
  | { kind: 'set'; path: number; value: number }
  | { kind: 'delete'; path: number }
  | { kind: 'add'; path: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'byte'; at: number; byte: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value: fc.nat(HOSTILE.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), path: fc.nat(), value: fc.nat(HOSTILE.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }) },
);

/** The text of a file made from the good scenario by `edits`, its id made unique. */
function hostileFile(id: string, edits: Edit[]): string {
  const s = structuredClone(GOOD) as Record<string, Json>;
  s.id = id;
  let text: string | undefined;
  for (const e of edits) {
    if (e.kind === 'cut' || e.kind === 'byte') {
      text ??= JSON.stringify(s, null, 2);
      const at = e.at % Math.max(1, text.length);
      text = e.kind === 'cut' ? text.slice(0, at) : text.slice(0, at) + String.fromCharCode(e.byte) + text.slice(at + 1);
      continue;
    }
    if (text !== undefined) continue;
    const all = paths(s).filter((p) => p.length > 0 && p[0] !== 'id');
    const p = all[e.path % all.length]!;
    const parent = p.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], s) as Record<string | number, Json>;
    const key = p[p.length - 1]!;
    if (e.kind === 'set') parent[key] = structuredClone(HOSTILE[e.value]);
    else if (e.kind === 'delete') { if (Array.isArray(parent)) parent.splice(key as number, 1); else delete parent[key]; }
    else if (!Array.isArray(parent)) parent[`extra${e.path % 7}`] = structuredClone(HOSTILE[e.value]);
    else parent.push(structuredClone(HOSTILE[e.value]));
  }
  return text ?? JSON.stringify(s, null, 2);
}

let LIBRARY: ReturnType<typeof makeProgram>;

before(async () => {
  await initEngine();
  LIBRARY = makeProgram(libraryLayer('2.6.10'));
});

test('fuzz: hostile scenario files beside a good one (150 folders)', (t) => {
  let loaded = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.array(fc.array(edit, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), (files) => {
      const dir = mkdtempSync(join(tmpdir(), 'kpr-fuzz-scenarios-'));
      try {
        writeFileSync(join(dir, '00-good.json'), JSON.stringify({ ...GOOD, id: 'user-good' }));
        files.forEach((edits, i) => writeFileSync(join(dir, `h${i}.json`), hostileFile(`hostile-${i}`, edits)));
        const r = loadUserScenarios(dir);
        const named = new Set(r.problems.map((p) => p.file.split('/').pop()!));
        assert.ok(r.scenarios.some((s) => s.id === 'user-good'), JSON.stringify(r.problems));
        assert.ok(!named.has('00-good.json'), JSON.stringify(r.problems));
        for (let i = 0; i < files.length; i++) {
          const ok = r.scenarios.some((s) => s.id === `hostile-${i}`);
          assert.notEqual(ok, named.has(`h${i}.json`), `h${i}.json must be loaded or named, once: ${JSON.stringify(files[i])}`);
          if (ok) loaded++; else refused++;
        }
        for (const p of r.problems) assert.doesNotMatch(`${p.file} ${p.message}`, /[\u0000-\u0008\u000b-\u001f\u007f]/);
        for (const s of r.scenarios) {
          if (s.eras && !s.eras.includes('2.6.10')) continue;
          const m = new ScenarioSystem(LIBRARY, s, '2.6.10', 'sc').initial();
          const pages = Object.keys(m.s.pages).length;
          assert.ok(pages <= 1024 + 16, `${s.id}: ${pages} pages in the initial state`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 150, seed: 0x5ce4a210 },
  );
  t.diagnostic(`${loaded} hostile files loaded (their edits kept them valid), ${refused} named and left out`);
  assert.ok(loaded > 5 && refused > 50, `${loaded} loaded, ${refused} refused`);
});
