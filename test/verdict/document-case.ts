// One verdict case (test/fixtures/verdict/README.md): a document in, what the analysis and the
// model tier make of it out, as plain data for its expected file. `given` in the expected file
// says what the runner is asked beyond the document: input, echoed back so the whole file compares.
import { analyze, runModelTier, runScenario } from '../../server/src/analysis';
import { scenariosOf, type Finding } from '../../server/src/findings';
import { builtinScenario } from '../../server/src/scenarios/catalog';
import type { ScenarioSpec } from '../../server/src/scenarios/spec';
import { planMessages } from '../../server/src/verdict/plan';
import type { ScenarioRun, SideRun } from '../../server/src/verdict/scenario-run';
import { verdictSummary } from '../../server/src/verdict/summary';
import { shownMessage } from '../../server/src/report/finding-message';
import { initEngine } from '../support/engine';

export interface Given {
  /** The built-in scenarios the model tier chooses from (default: the whole catalog). */
  scenarios?: string[];
  /** Show the message plans (`planMessages`): era, changed functions, where each side's body comes from. */
  plan?: boolean;
  /** Run one scenario as `kpr run` does (`runScenario`): both sides' violations, threads, steps' places. */
  run?: string;
}

/**
 * A place in the era library as a message or a step names it (`2.6.10/memory.c:153`), reduced to
 * the kernel's file name: these cases are about the patch, and the library's layout and line
 * numbers change with it (test/library holds the library to the kernel's code).
 */
// A layer's diff (`2.6.10/memory.c.patch`) changes the kernel's memory.c as its .c does.
const libraryFile = (place: string): string => place.replace(/\b[\d.]+\/([\w-]+\.c)(?:\.patch)?(?::\d+)?/g, '$1');

/** A finding as the expected files hold it: its line 1-based, as a reader counts. */
function finding(f: Finding) {
  return {
    rule: f.rule, status: f.status, severity: f.severity, tier: f.tier, file: f.file ?? null, line: f.range.start.line + 1,
    function: f.function ?? null, scenarios: scenariosOf(f), preemptions: f.preemptions ?? null, reason: f.reason ?? null,
    complete: f.complete ?? null, traced: (f.trace?.length ?? 0) > 0, message: libraryFile(shownMessage(f)),
  };
}

/** Where each changed function's body comes from on each side, per message plan. */
function plans(text: string, path: string) {
  const a = analyze(text, path);
  return planMessages(a.document, a.functions).map((p) => ({
    era: p.era, changed: p.changed,
    pre: p.pre ? Object.fromEntries(p.changed.map((n) => [n, p.pre!.get(n)?.source ?? null])) : null,
    post: Object.fromEntries(p.changed.map((n) => [n, p.post.get(n)?.source ?? null])),
    scenarios: p.scenarios.map((s) => s.id),
    unjudged: p.unjudged.map((u) => u.scenario.id),
  }));
}

/**
 * One side of a scenario run: the rules its witness breaks, the page snapshot at the first
 * break, the threads its steps ran, and the places its steps ran in each function (`patch`: the
 * document; else the library file: a spliced body runs both).
 */
function side(s: SideRun | undefined) {
  if (!s) return null;
  const first = s.violations[0];
  return {
    threads: [...new Set(s.steps.map((x) => x.thread))].sort(),
    violations: s.violations.map((v) => v.rule),
    pagesAtFirstViolation: first ? s.steps[first.step]?.pages ?? null : null,
    places: [...new Set(s.steps.map((x) => `${x.function} ${x.source === 'patch' ? (x.range ? 'patch' : 'patch without a range') : (x.modelFile ? libraryFile(x.modelFile) : 'model without a file')}${x.code ? '' : ' (no code)'}`))].sort(),
  };
}

function run(r: ScenarioRun) {
  return { threads: r.threads, pre: side(r.pre), post: side(r.post) };
}

/** A case's whole output. */
export async function runCase(text: string, path: string, given: Given = {}): Promise<Record<string, unknown>> {
  // A misspelt key would be dropped silently and the case would show less than it was meant to.
  const unknown = Object.keys(given).filter((k) => !['scenarios', 'plan', 'run'].includes(k));
  if (unknown.length > 0) throw new Error(`given: unknown keys ${unknown.join(', ')}`);
  await initEngine();
  const a = analyze(text, path);
  const scenarios = given.scenarios?.map((id): ScenarioSpec => {
    const s = builtinScenario(id);
    if (!s) throw new Error(`given.scenarios: no built-in scenario ${id}`);
    return s;
  });
  const r = runModelTier(a, scenarios ? { scenarios } : {});
  const all = [...a.findings, ...r.findings];
  const out: Record<string, unknown> = {
    functions: a.functions.map((f) => `${f.file}:${f.name} ${f.preOrigin}/${f.postOrigin}`),
    findings: all.map(finding),
    verdict: verdictSummary(all),
    scenarios: r.scenarios,
    complete: r.complete,
    runs: r.runs.map((x) => ({
      id: x.id, era: x.era, judged: x.judged, why: x.why ?? null,
      pre: x.pre ? { stopped: x.pre.stopped ?? null } : null, post: x.post ? { stopped: x.post.stopped ?? null } : null,
    })),
  };
  if (given.plan) out.plan = plans(text, path);
  if (given.run !== undefined) {
    try { out.run = run(runScenario(a, given.run)); } catch (e) { out.run = { refused: (e as Error).message }; }
  }
  return out;
}
