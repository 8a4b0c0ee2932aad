// `npm run bench` (part): the static tier on one giant added function, at 1k, 10k and 100k
// statements, to show its cost stays near-linear in the function's size (issue 16). Each size is
// timed per stage (intake, functions, lowering, each flow rule) once; shapes: locals declared and
// initialised, locals declared and never used (the unused-variable and maybe-uninitialised walks),
// and a chain of assignments that reads each previous local.
// Usage: node --import tsx bench/giant.ts [SIZE...]
import { performance } from 'node:perf_hooks';
import { initEngine } from '../test/support/engine';
import { parseDocument } from '../server/src/intake/parse';
import { extractFunctions } from '../server/src/functions/extract';
import { lowerFunction } from '../server/src/lower/lower';
import { STATIC_RULES, runStaticRules } from '../server/src/rules/static';

/** A patch that adds one function of `n` body statements of the given shape. */
export function giantPatch(n: number, shape: 'init' | 'unused' | 'chain'): string {
  const body: string[] = [];
  for (let i = 0; i < n; i++) {
    if (shape === 'init') body.push(`+\tint v${i} = ${i};`);
    else if (shape === 'unused') body.push(`+\tint v${i};`);
    else body.push(i === 0 ? '+\tint v0 = 1;' : `+\tint v${i} = v${i - 1} + 1;`);
  }
  const tail = shape === 'chain' ? `+\treturn v${n - 1};` : '+\treturn 0;';
  const lines = ['+static int kpr_giant(void)', '+{', ...body, tail, '+}'];
  return `--- a/mm/filemap.c\n+++ b/mm/filemap.c\n@@ -100,0 +101,${lines.length} @@\n${lines.join('\n')}\n`;
}

function ms(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

async function main(): Promise<void> {
  await initEngine();
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('static tier on one giant added function (ms, one run): intake / functions / lowering / rules (slowest rule) = total');
  for (const shape of ['init', 'unused', 'chain'] as const) {
    for (const n of sizes.length ? sizes : [1_000, 10_000, 100_000]) {
      const text = giantPatch(n, shape);
      let doc!: ReturnType<typeof parseDocument>;
      let fns!: ReturnType<typeof extractFunctions>;
      const a = ms(() => (doc = parseDocument(text, 'giant.patch')));
      const b = ms(() => (fns = extractFunctions(doc)));
      let ir!: ReturnType<typeof lowerFunction>;
      const fn = fns.functions[0]!;
      const c = ms(() => (ir = lowerFunction(fn.post!, fn.name)));
      let slowest = { id: '', ms: 0 };
      for (const rule of STATIC_RULES) {
        if (!ir.ir) break;
        const ctx = { ir: ir.ir, fragment: false };
        const t = ms(() => rule.run(ctx));
        if (t > slowest.ms) slowest = { id: rule.id, ms: t };
      }
      const d = ms(() => runStaticRules(doc, fns.functions));
      const mb = (process.memoryUsage().rss / 1e6).toFixed(0);
      console.log(`  ${shape} ${n}: ${a.toFixed(0)} / ${b.toFixed(0)} / ${c.toFixed(0)} / ${d.toFixed(0)} (${slowest.id} ${slowest.ms.toFixed(0)}) = ${(a + b + d).toFixed(0)}  rss ${mb} MB`);
    }
  }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
