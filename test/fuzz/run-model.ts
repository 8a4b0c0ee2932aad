/**
 * The long model-tier fuzz run behind `npm run fuzz -- --model` (scripts/fuzz.mjs starts it):
 *   node scripts/fuzz.mjs --model [--cases N] [--seed S] [--round R] [--states MAX]
 * Mutated library functions and mutated seeds (model-cases.ts) through analyze() and the model
 * tier, checked by model-oracle.ts. A failing case is shrunk by fast-check and written to
 * test/fixtures/fuzz/model-<seed>-round<r>.patch; the first cases of each known bug and every case
 * slower than HANG_MS are written as generated (shrinking would re-run slow cases many times).
 * Prints cases/s, scenarios run, searches cut by time, known bugs by kind; exits 1 on a failure.
 */
import fc from 'fast-check';
import { initEngine } from '../support/engine';
import { anyModelCase, writeModelReproducer, type ModelCase } from './model-cases';
import { checkModel } from './model-oracle';

/** A case slower than this (all its runs together) is written out as a hang. */
const HANG_MS = 30_000;
/** Reproducers written per known-bug kind and for hangs, per run. */
const MAX_FILES = 3;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  await initEngine();
  const total = Number(arg('cases') ?? 1000);
  const seed = Number(arg('seed') ?? Math.floor(Math.random() * 0x7fffffff));
  const round = Number(arg('round') ?? 100);
  const maxStates = Number(arg('states') ?? 200);
  console.log(`model fuzz: ${total} cases, seed ${seed}, rounds of ${round}, at most ${maxStates} states per search`);
  let ran = 0;
  let failures = 0;
  let hangs = 0;
  let scenarios = 0;
  let cut = 0;
  const known = new Map<string, number>();
  let slowest = { ms: 0, origin: '' };
  const started = performance.now();
  for (let r = 0; ran < total; r++) {
    const runs = Math.min(round, total - ran);
    let counted = 0;
    let firstFail: ModelCase | undefined;
    const result = fc.check(
      fc.property(anyModelCase(maxStates), (c: ModelCase) => {
        const v = checkModel(c.text, c.options);
        const fresh = counted < runs;
        if (fresh) {
          counted++;
          scenarios += v.scenarios;
          if (v.cut) cut++;
          if (v.ms > slowest.ms) slowest = { ms: v.ms, origin: `${c.origin.slice(0, 300)} ${JSON.stringify(c.options)}` };
          for (const k of v.known) {
            const n = (known.get(k.kind) ?? 0) + 1;
            known.set(k.kind, n);
            if (n <= MAX_FILES) console.log(`KNOWN ${k.kind}: ${k.message}\n  reproducer: ${writeModelReproducer(`seed${seed}-${k.kind}${n}`, c, [`${k.kind}: ${k.message}`])}`);
          }
          if (v.ms > HANG_MS && v.failures.length === 0) {
            hangs++;
            if (hangs <= MAX_FILES) console.log(`HANG ${Math.round(v.ms)} ms\n  reproducer: ${writeModelReproducer(`seed${seed}-hang${hangs}`, c, [`hang: ${Math.round(v.ms)} ms`])}`);
          }
        }
        const ok = v.failures.length === 0;
        if (!ok) firstFail ??= c;
        return ok;
      }),
      { numRuns: runs, seed: seed + r },
    );
    ran += counted;
    if (result.failed && result.counterexample) {
      failures++;
      let [c] = result.counterexample as [ModelCase];
      let v = checkModel(c.text, c.options);
      // A failure that needs earlier cases to show (none known) keeps the case as generated.
      if (v.failures.length === 0 && firstFail) { c = firstFail; v = checkModel(c.text, c.options); }
      const why = v.failures.length ? v.failures : ['failed only within the run, not on its own: see the origin'];
      const file = writeModelReproducer(`seed${seed}-round${r}`, c, why);
      console.log(`FAIL round ${r} (seed ${seed + r}, path ${result.counterexamplePath}): ${why.join('; ').slice(0, 800)}\n  reproducer: ${file}`);
    }
    const s = (performance.now() - started) / 1000;
    console.log(`  ${ran}/${total} cases, ${(ran / s).toFixed(1)} cases/s, slowest ${slowest.ms.toFixed(0)} ms`);
  }
  const s = (performance.now() - started) / 1000;
  const kinds = [...known].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(`done: ${ran} cases in ${s.toFixed(1)} s (${(ran / s).toFixed(1)} cases/s), seed ${seed}; ${scenarios} scenario runs, ${cut} time-bounded runs cut; ${failures} failing round(s), ${hangs} hang(s); known bugs: ${kinds}`);
  console.log(`slowest case: ${slowest.ms.toFixed(0)} ms — ${slowest.origin}`);
  process.exitCode = failures ? 1 : 0;
}

void main();
