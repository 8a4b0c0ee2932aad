/**
 * What the pipeline must do for ANY input (the fuzzer's oracle):
 * - no exception escapes analyze();
 * - no stage failed: no "Internal error in …" finding (static.ts turns a throwing rule into one),
 *   no lowering that stopped on an exception, no static rule that threw (the fuzzer also re-runs
 *   lowering and the rules without the static tier's guards, for the stack of what threw);
 * - every intake and functions problem, and every lowering note on a document line, became a
 *   finding; every finding, related location and function range lies inside the document
 *   (0 <= line < lines.length);
 * - the case finished: its time is measured (not asserted against wall time by tests) and a case
 *   slower than HANG_MS is recorded as a hang.
 */
import { analyze } from '../../server/src/analysis';
import { decodeDocument } from '../../server/src/intake/parse';
import { lowerFunction } from '../../server/src/lower/lower';
import { STATIC_RULES } from '../../server/src/rules/static';
import type { Range } from '../../server/src/intake/document';
import type { FunctionSide, PatchFunction } from '../../server/src/functions/patch-function';
import type { LowerNote } from '../../server/src/ir/step-program';
import type { Analysis } from '../../server/src/analysis';

/** A case slower than this is treated as a hang and reported as a bug. */
export const HANG_MS = 2000;

/** One input: text as an editor would send it, or bytes as the CLI reads them from disk. */
export type FuzzInput = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

export interface Verdict {
  /** What went wrong; empty when every invariant held. */
  failures: string[];
  /** Slower than HANG_MS: a bug for the fuzz script, only a reported figure for tests. */
  hang: boolean;
  ms: number;
  lines: number;
  findings: number;
}

function rangeProblem(r: Range | undefined, lines: number, what: string): string | undefined {
  if (!r) return `${what}: no range`;
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines && p.character >= 0;
  if (!ok(r.start) || !ok(r.end)) return `${what}: range ${JSON.stringify(r)} outside the document (${lines} lines)`;
  if (r.end.line < r.start.line) return `${what}: range ends before it starts ${JSON.stringify(r)}`;
  return undefined;
}

/**
 * Every lowering note on a document line of its side became a finding (static.ts): one naming its
 * text, or the function's summary of notes past the cap. A pre-side note matched by the same note
 * on the post side is reported once, on the post line, so the check is by text, not by line.
 */
function noteProblem(a: Analysis, fn: PatchFunction, side: FunctionSide, n: LowerNote, label: string, failures: string[]): void {
  if (side.c.source.kind !== 'document' || !side.c.map.some((m) => m.line === n.loc.line && m.line >= 0)) return;
  const mine = a.findings.filter((f) => f.function === fn.name && (f.rule === 'unmodeled' || f.rule === 'patch-syntax'));
  const text = n.message.replace(/\.$/, '').toLowerCase();
  if (mine.some((f) => f.message.toLowerCase().includes(text) || f.message.includes('more lowering notes'))) return;
  failures.push(`lowering note of ${fn.name} (${label}) not reported as a finding: ${n.kind} "${n.message}" at line ${n.loc.line}`);
}

/** Lowering and rules once more, without the guards of the static tier, to see what they hide. */
function strictStages(a: Analysis, failures: string[]): void {
  for (const fn of a.functions) {
    for (const [label, side] of [['pre', fn.pre], ['post', fn.post]] as const) {
      if (!side) continue;
      let lowered: ReturnType<typeof lowerFunction>;
      try {
        lowered = lowerFunction(side, fn.name);
      } catch (e) {
        failures.push(`lowering ${fn.name} (${label}) threw: ${String(e)}`);
        continue;
      }
      const origin = label === 'pre' ? fn.preOrigin : fn.postOrigin;
      for (const n of lowered.notes) {
        if (n.message.startsWith('lowering stopped')) failures.push(`lowering ${fn.name} (${label}): ${n.message}`);
        else if (origin !== 'none') noteProblem(a, fn, side, n, label, failures);
      }
      if (!lowered.ir) continue;
      for (const rule of STATIC_RULES) {
        try {
          rule.run({ ir: lowered.ir, fragment: !side.whole });
        } catch (e) {
          failures.push(`rule ${rule.id} on ${fn.name} (${label}) threw: ${e instanceof Error ? `${e.message} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e)}`);
        }
      }
    }
  }
}

export interface CheckOptions {
  /** Re-run lowering and the rules without the static tier's guards (default true). */
  strict?: boolean;
  /** Run the static rules (default true); off only for fixtures whose rule time is a known bug. */
  staticRules?: boolean;
}

/** Runs one input through the pipeline and checks every invariant. */
export function check(input: FuzzInput, options: CheckOptions = {}): Verdict {
  const strict = options.strict ?? true;
  const staticRules = options.staticRules ?? true;
  const failures: string[] = [];
  const started = performance.now();
  let a: Analysis | undefined;
  try {
    if (input.kind === 'bytes') {
      const { text, problems } = decodeDocument(input.bytes);
      a = analyze(text, 'fuzz.patch', { decodeProblems: problems, staticRules });
    } else {
      a = analyze(input.text, 'fuzz.patch', { staticRules });
    }
  } catch (e) {
    failures.push(`analyze() threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
  if (a && strict && staticRules) {
    try {
      strictStages(a, failures);
    } catch (e) {
      failures.push(`strict stages threw: ${String(e)}`);
    }
  }
  const ms = performance.now() - started;
  if (!a) return { failures, hang: ms > HANG_MS, ms, lines: 0, findings: 0 };
  const n = a.document.lines.length;
  for (const f of a.findings) {
    if (f.message.startsWith('Internal error')) failures.push(`${f.rule}: ${f.message}`);
    const bad = rangeProblem(f.range, n, `finding ${f.rule} "${f.message.slice(0, 80)}"`);
    if (bad) failures.push(bad);
    for (const r of f.related ?? []) {
      const badRel = rangeProblem(r.range, n, `related of ${f.rule}`);
      if (badRel) failures.push(badRel);
    }
  }
  for (const p of a.document.problems) {
    if (!a.findings.some((f) => f.rule === 'patch-syntax' && f.message === p.message)) failures.push(`problem not reported as a finding: ${p.message}`);
  }
  for (const fn of a.functions) {
    const bad = rangeProblem(fn.range, n, `function ${fn.name}`);
    if (bad) failures.push(bad);
  }
  return { failures, hang: ms > HANG_MS, ms, lines: n, findings: a.findings.length };
}
