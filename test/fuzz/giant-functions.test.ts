// Fuzz class for giant functions (issue 16.2, 16.3): one added function of 2,000-8,000 body
// statements of a random shape (locals, an assignment chain, nested blocks, an else-if ladder,
// one long expression, a switch of many cases, a goto ladder, calls), mixed when the case asks.
// Oracle: the pipeline oracle (oracle.ts), with lowering and every rule re-run without the static
// tier's guards so that a recursion limit shows: nothing throws, no internal error, every position
// inside the document; and the function is found.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/analysis';
import { initEngine } from '../support/engine';
import { check } from './oracle';

before(() => initEngine());

const SHAPES = ['locals', 'chain', 'nested', 'ladder', 'expression', 'switch', 'gotos', 'calls'] as const;
type Shape = (typeof SHAPES)[number];

/** `n` body lines of one shape (without the hunk's `+`). */
function body(shape: Shape, n: number): string[] {
  const out: string[] = [];
  switch (shape) {
    case 'locals': for (let i = 0; i < n; i++) out.push(`int v${i} = ${i};`); break;
    case 'chain': out.push('int x = 0;'); for (let i = 0; i < n; i++) out.push(`x = x + ${i};`); out.push('if (x) return x;'); break;
    case 'nested': for (let i = 0; i < n; i++) out.push(i % 3 ? '{' : `if (page->index > ${i}) {`); for (let i = 0; i < n; i++) out.push('}'); break;
    case 'ladder': out.push('int r = 0;'); for (let i = 0; i < n; i++) out.push(`${i ? 'else ' : ''}if (page->index == ${i}) r = ${i};`); break;
    case 'expression': out.push(`return ${Array.from({ length: n }, (_, i) => `page->index * ${i}`).join(' + ')};`); break;
    case 'switch': out.push('switch (page->index) {'); for (let i = 0; i < n; i++) out.push(`case ${i}: lock_page(page); unlock_page(page); break;`); out.push('}'); break;
    case 'gotos': for (let i = 0; i < n; i++) out.push(`l${i}: if (PageLocked(page)) goto l${(i * 7) % n};`); break;
    case 'calls': for (let i = 0; i < n; i++) out.push(i % 2 ? 'page_cache_get(page);' : 'page_cache_release(page);'); break;
  }
  return out;
}

function patch(shapes: Shape[], n: number): string {
  const lines = ['int kpr_giant(struct page *page)', '{', ...shapes.flatMap((s) => body(s, Math.ceil(n / shapes.length))), 'return 0;', '}'];
  return ['--- a/mm/filemap.c', '+++ b/mm/filemap.c', `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l.startsWith('int kpr_giant') || l === '{' || l === '}' ? '' : '\t'}${l}`), ''].join('\n');
}

test('fuzz: giant functions of every shape (8 cases, 2,000-8,000 statements)', (t) => {
  const sizes: string[] = [];
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom(...SHAPES), { minLength: 1, maxLength: 3 }), fc.integer({ min: 2_000, max: 8_000 }), (shapes, n) => {
      const text = patch(shapes, n);
      const v = check({ kind: 'text', text });
      assert.deepEqual(v.failures, [], `${shapes.join('+')} × ${n}`);
      assert.deepEqual(analyze(text, 'giant.patch').functions.map((f) => f.name), ['kpr_giant'], `${shapes.join('+')} × ${n}`);
      sizes.push(`${shapes.join('+')}×${n}: ${v.ms.toFixed(0)} ms`);
    }),
    { numRuns: 8, seed: 0x6a1a47 },
  );
  t.diagnostic(sizes.join('; '));
});
