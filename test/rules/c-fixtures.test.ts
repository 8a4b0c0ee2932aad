// Fixture tests of the static rules: a C function of this project's own writing in, the rules'
// findings (line and rule) out, compared with the `expect:` comments in the fixture.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { analyseSide } from '../../server/src/rules/static';
import type { FunctionSide } from '../../server/src/functions/patch-function';

const dir = join(__dirname, '..', 'fixtures', 'rules');

/** A whole function whose C lines are document lines 0..n-1. */
function sideOf(text: string): FunctionSide {
  const lines = text.split('\n');
  return { c: { text, map: lines.map((_, line) => ({ line, character: 0 })), source: { kind: 'document' } }, whole: true };
}

function expected(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /expect: ([\w-]+(?:, *[\w-]+)*)/.exec(l);
    if (m) for (const r of m[1]!.split(/, */)) out.push(`${i + 1}:${r}`);
  });
  return out.sort();
}

before(() => initEngine());

for (const file of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
  test(`rules on fixture ${file}`, () => {
    const text = readFileSync(join(dir, file), 'utf8');
    const { hits } = analyseSide(sideOf(text), '', false);
    const got = [...new Set(hits.map((h) => `${h.loc.line + 1}:${h.rule}`))].sort();
    assert.deepEqual(got, expected(text), hits.map((h) => `${h.loc.line + 1} ${h.rule}: ${h.message}`).join('\n'));
  });
}
