// Shared test helpers for intake: seed and fixture loading, and document-wide invariants.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { PatchDocument } from '../../server/src/intake/document';
import { seedNames, seedsDir } from '../support/seeds';

export const repoRoot = path.resolve(__dirname, '..', '..');
export { seedsDir };

/** Text of the seed whose file name starts with `prefix` (e.g. '000_'). */
export function seedText(prefix: string): string {
  const name = seedNames().find((f) => f.startsWith(prefix));
  assert.ok(name, `no seed ${prefix}* in ${seedsDir}`);
  return readFileSync(path.join(seedsDir, name), 'utf8');
}

export function fixtureText(name: string): string {
  return readFileSync(path.join(repoRoot, 'test', 'fixtures', 'intake', name), 'utf8');
}

export const hunkCount = (doc: PatchDocument): number => doc.files.reduce((n, f) => n + f.hunks.length, 0);

/** Checks that every recorded position points at the text it claims to hold. */
export function assertPositions(doc: PatchDocument): void {
  for (const f of doc.files) {
    for (const h of f.hunks) {
      assert.ok(doc.lines[h.line]!.startsWith('@@'), `hunk line ${h.line} is not an @@ line`);
      for (const l of h.lines) {
        const src = doc.lines[l.line]!;
        if (src === '') assert.equal(l.text, '', 'blank context line');
        else assert.equal(src.slice(1), l.text, `hunk line text at ${l.line}`);
      }
    }
  }
  for (const b of doc.codeBlocks) {
    for (const l of b.lines) assert.equal(doc.lines[l.line]!.slice(l.character), l.text, `code line ${l.line}`);
  }
  for (const m of doc.messages) {
    for (const h of m.headers ?? []) assert.ok(doc.lines[h.range.start.line]!.length > 0, `header ${h.name} on a blank line`);
  }
}
