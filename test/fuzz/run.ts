/**
 * The long fuzz run behind `npm run fuzz` (scripts/fuzz.mjs starts it under tsx):
 *   node scripts/fuzz.mjs [--cases N] [--seed S] [--round R]
 * Cases come in rounds of R; a failing case (an invariant broken, or slower than HANG_MS) is
 * shrunk by fast-check, written to test/fixtures/fuzz/ with what broke, and the run goes on with
 * the next round. Prints cases/s, the slowest case and every failure; exits 1 if any.
 */
import fc from 'fast-check';
import { initEngine } from '../support/engine';
import { anyCase, writeReproducer, type FuzzCase } from './cases';
import { check } from './oracle';

/** Hangs written as fixtures per run (they tend to repeat one cause). */
const MAX_HANG_FILES = 5;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  await initEngine();
  const total = Number(arg('cases') ?? 20_000);
  const seed = Number(arg('seed') ?? Math.floor(Math.random() * 0x7fffffff));
  const round = Number(arg('round') ?? 1000);
  console.log(`fuzz: ${total} cases, seed ${seed}, rounds of ${round}`);
  let ran = 0;
  let failures = 0;
  let shrinkRuns = 0;
  let hangs = 0;
  let slowest = { ms: 0, origin: '' };
  const started = performance.now();
  for (let r = 0; ran < total; r++) {
    const runs = Math.min(round, total - ran);
    let counted = 0;
    let calls = 0;
    let firstFail: FuzzCase | undefined;
    const result = fc.check(
      fc.property(anyCase(), (c: FuzzCase) => {
        const v = check(c.input);
        // Shrinking re-runs cases: they count as cases run, and the first `runs` as new cases.
        calls++;
        if (counted < runs) counted++;
        if (v.ms > slowest.ms) slowest = { ms: v.ms, origin: c.origin.slice(0, 300) };
        // A hang is written out as generated, not shrunk: shrinking would re-run seconds-long
        // cases hundreds of times, and timing is too noisy to shrink on.
        if (v.hang && v.failures.length === 0) {
          hangs++;
          if (hangs <= MAX_HANG_FILES) console.log(`HANG ${Math.round(v.ms)} ms\n  reproducer: ${writeReproducer(`seed${seed}-hang${hangs}`, c, [`hang: ${Math.round(v.ms)} ms`])}`);
          return true;
        }
        const ok = v.failures.length === 0;
        firstFail ??= ok ? undefined : c;
        return ok;
      }),
      { numRuns: runs, seed: seed + r },
    );
    ran += counted;
    shrinkRuns += calls - counted;
    if (result.failed && result.counterexample) {
      failures++;
      // Should the shrunk case pass when re-run (a failure that depends on earlier cases), the
      // reproducer is the first failing case as generated.
      let [c] = result.counterexample as [FuzzCase];
      let v = check(c.input);
      if (v.failures.length === 0 && !v.hang && firstFail) { c = firstFail; v = check(c.input); }
      const why = [...v.failures, ...(v.hang ? [`hang: ${Math.round(v.ms)} ms`] : [])];
      const file = writeReproducer(`seed${seed}-round${r}`, c, why.length ? why : ['failed only within the run, not on its own: see the origin']);
      console.log(`FAIL round ${r} (seed ${seed + r}, path ${result.counterexamplePath}): ${why.join('; ').slice(0, 500)}\n  reproducer: ${file}`);
    }
    const s = (performance.now() - started) / 1000;
    console.log(`  ${ran}/${total} cases, ${(ran / s).toFixed(0)} cases/s, slowest ${slowest.ms.toFixed(0)} ms`);
  }
  const s = (performance.now() - started) / 1000;
  console.log(`done: ${ran} cases (+${shrinkRuns} shrinking runs) in ${s.toFixed(1)} s (${(ran / s).toFixed(0)} cases/s), seed ${seed}, ${failures} failing round(s), ${hangs} hang(s)`);
  console.log(`slowest case: ${slowest.ms.toFixed(0)} ms — ${slowest.origin}`);
  process.exitCode = failures || hangs ? 1 : 0;
}

void main();
