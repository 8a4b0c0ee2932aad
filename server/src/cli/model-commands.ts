/**
 * `kpr scenarios [FILE]` and `kpr run SCENARIO ...`: the model tier from the command line.
 * `run` without --schedule/--random is the complete search of both sides (exhaustive, else bounded;
 * the minimal trace of the first rule broken on each; JSON gives `states`, `exhaustive` and `bound`
 * of both sides together at top level); --schedule replays one interleaving deterministically (the named
 * steps, then every thread to its end); --random N --seed S samples N random interleavings and
 * prints the first that breaks a rule (else the last). Without --patch the scenario runs on the
 * newest era library that has it, as the post side. Both commands know the users' scenarios
 * (.kpr/scenarios, or --scenarios DIR; see scenarios.ts).
 */
import type { Abi } from '../lower/ctypes';
import { analyze, initAnalysis, listScenarios, type Analysis } from '../analysis';
import type { ScenarioSpec } from '../scenarios/spec';
import { eras } from '../model/library/index';
import { libraryLayer } from '../verdict/side-program';
import { runSide, sideRun } from '../verdict/verdict';
import { planMessages } from '../verdict/plan';
import { makeProgram } from '../model/program';
import { randomRuns, replaySchedule, type Replayed } from '../verdict/side-search';
import { scenarioRunsOn } from '../scenarios/applicable';
import { ScenarioSystem } from '../verdict/scenario-system';
import { toDocument } from '../intake/decoded-map';
import type { RunStep, ScenarioRun, SideRun } from '../verdict/scenario-run';
import type { Command } from './args';
import type { Io } from './io';
import { readInput } from './read';
import { loadScenarioSet, problemsOf, problemText, warnProblems, type ScenarioSet } from './scenarios';
import type { Side } from '../findings';
import { minOf } from '../arrays';

/** Loads the C parser the model commands need; says so and returns false when it cannot. */
export async function modelReady(io: Io): Promise<boolean> {
  try {
    await initAnalysis();
    return true;
  } catch (err) {
    io.err(`kpr: C parser unavailable, the model cannot run: ${(err as Error).message}\n`);
    return false;
  }
}

async function load(path: string, io: Io, abi?: Abi): Promise<Analysis | undefined> {
  const r = await readInput(path);
  if (!r.ok) { io.err(`kpr: cannot read ${r.path}: ${r.error}\n`); return undefined; }
  return analyze(r.text, r.path, { decodeProblems: r.problems, staticRules: false, abi });
}

/** The scenarios `run` and `scenarios` choose from; problems are printed, a missing --scenarios folder ends the command. */
function scenarioSet(dir: string | undefined, io: Io): ScenarioSet | undefined {
  const set = loadScenarioSet(dir);
  if ('error' in set) { io.err(`kpr: ${set.error}\n`); return undefined; }
  return set;
}

export async function runScenarios(cmd: Extract<Command, { kind: 'scenarios' }>, io: Io): Promise<number> {
  const set = scenarioSet(cmd.scenarioDir, io);
  if (!set) return 2;
  warnProblems(set.problems, io);
  let listing: { scenario: ScenarioSpec; applies?: boolean; era?: string }[] = set.all.map((scenario) => ({ scenario }));
  if (cmd.file !== undefined) {
    const a = await load(cmd.file, io);
    if (!a) return 2;
    listing = listScenarios(a, set.all).filter((l) => l.applies);
    if (listing.length === 0) io.out(`no scenario applies to ${cmd.file}: it changes no function the scenarios reach\n`);
  }
  for (const l of listing) {
    const user = set.user.includes(l.scenario) ? ' (user)' : '';
    io.out(`${l.scenario.id}${l.era ? ` [${l.era}]` : ''}${user}\n    ${l.scenario.title}. ${l.scenario.doc}\n`);
  }
  return 0;
}

/**
 * The scenario `run` asked for. A bad file meant to define it is the error (exit 2), with every
 * problem of that file; bad files defining other scenarios are warnings.
 */
function chooseScenario(id: string, set: ScenarioSet, io: Io): ScenarioSpec | undefined {
  const scenario = set.all.find((s) => s.id === id);
  const own = scenario ? [] : problemsOf(id, set.problems);
  warnProblems(set.problems.filter((p) => !own.includes(p)), io);
  if (scenario) return scenario;
  if (own.length > 0) {
    for (const p of own) io.err(`kpr: error: ${problemText(p)}\n`);
    io.err(`kpr: scenario ${id} cannot run: ${[...new Set(own.map((p) => p.file))].join(', ')} is not a valid scenario\n`);
  } else {
    io.err(`kpr: unknown scenario ${id}; known: ${set.all.map((s) => s.id).join(', ')}\n`);
  }
  return undefined;
}

function where(s: RunStep): string {
  if (s.range) return `line ${s.range.start.line + 1}`;
  if (s.modelFile !== undefined) return `${s.modelFile}:${(s.modelLine ?? 0) + 1}`;
  return '';
}

function sideText(title: string, s: SideRun): string {
  const rows = s.steps.map((st, i) => `  ${String(i + 1).padStart(3)}  ${st.thread.padEnd(10)} ${`${st.function}()`.padEnd(26)} ${where(st).padEnd(24)} ${st.code}${st.effect ? `\n${' '.repeat(43)}→ ${st.effect}` : ''}`);
  const broke = s.violations.length
    ? s.violations.map((v) => `  ✗ ${v.rule} after step ${v.step + 1}: ${v.message}${v.reason ? ` (cause: ${v.reason})` : ''}`)
    : ['  no invariant broke'];
  const what = s.replayed
    ? `${s.steps.length} steps of one ${s.replayed === 'random' ? 'random' : 'replayed'} schedule, not a search: other interleavings were not tried`
    : `${s.states} states, ${s.complete ? 'complete' : 'incomplete'}, ${s.ms} ms`;
  return [`${title} — era ${s.era}, ${what}`, ...rows, ...broke, ''].join('\n');
}

/** One run is never a complete search, however it ended (issue 16.5). */
function asSide(side: Side, era: string, r: Replayed, replayed: 'schedule' | 'random'): SideRun {
  return { side, era, steps: r.steps, violations: r.violations, complete: false, states: r.steps.length + 1, ms: 0, replayed };
}

export async function runRun(cmd: Extract<Command, { kind: 'run' }>, io: Io): Promise<number> {
  const set = scenarioSet(cmd.scenarioDir, io);
  const scenario = set && chooseScenario(cmd.scenario, set, io);
  if (!scenario) return 2;
  const a = cmd.patch !== undefined ? await load(cmd.patch, io, cmd.abi) : undefined;
  if (cmd.patch !== undefined && !a) return 2;
  // The programs to run, per side.
  const sides: { side: Side; program: ReturnType<typeof makeProgram>; era: string }[] = [];
  if (a) {
    // The engine's view of a mail with decoded parts (its decoded text); positions go back below.
    const view = a.engine ?? a;
    const plans = planMessages(view.document, view.functions, [scenario], a.abi);
    const plan = plans.find((p) => p.scenarios.includes(scenario)) ?? plans[0];
    if (!plan) { io.err(`kpr: ${cmd.patch} changes no function the model can run\n`); return 2; }
    if (plan.pre && cmd.side !== 'post') sides.push({ side: 'pre', program: plan.pre, era: plan.era });
    if (cmd.side !== 'pre') sides.push({ side: 'post', program: plan.post, era: plan.era });
  } else {
    const era = eras().reverse().find((e) => scenarioRunsOn(scenario, e));
    if (!era) { io.err(`kpr: no era library runs ${scenario.id}\n`); return 2; }
    sides.push({ side: 'post', program: makeProgram(libraryLayer(era, cmd.abi)), era });
  }
  const run: ScenarioRun = { scenario: scenario.id, title: scenario.title, threads: scenario.threads.map((t) => t.name) };
  let progressShown = false;
  const progress = (p: { scenario: string; side: string; states: number; ms: number }) => {
    if (p.ms <= 1000) return;
    progressShown = true;
    io.progress(`kpr: ${p.scenario} ${p.side}: ${p.states} states, ${(p.ms / 1000).toFixed(1)} s`);
  };
  if (!cmd.schedule && cmd.random === undefined) {
    for (const s of sides) run[s.side] = sideRun(runSide(s.program, s.era, scenario, s.side, { onProgress: progress, memoryModel: cmd.memoryModel }), s.program, scenario, cmd.memoryModel);
    // End the line the progress kept rewriting, so what follows on the terminal starts clean.
    if (progressShown) io.progress(undefined);
  } else {
    for (const s of sides) {
      const sys = new ScenarioSystem(s.program, scenario, s.era, cmd.memoryModel);
      let r: Replayed;
      if (cmd.schedule) {
        const unknown = cmd.schedule.find((t) => !sys.threads().includes(t));
        if (unknown) { io.err(`kpr: no thread ${unknown} in ${scenario.id} (threads: ${run.threads.join(', ')})\n`); return 2; }
        r = replaySchedule(sys, cmd.schedule.map((thread) => ({ thread, choice: 0 })), { finish: true });
      } else {
        const runs = randomRuns(sys, cmd.random!, cmd.seed);
        const k = runs.findIndex((x) => x.violations.length > 0);
        r = runs[k >= 0 ? k : runs.length - 1]!;
        io.err(`kpr: ${s.side}: ${k >= 0 ? `random schedule ${k + 1} of ${runs.length} broke a rule` : `none of ${runs.length} random schedules broke a rule; the last is shown`} (seed ${cmd.seed}); a sample, not a search\n`);
      }
      for (const p of r.problems) io.err(`kpr: ${s.side}: ${p}\n`);
      run[s.side] = asSide(s.side, s.era, r, cmd.schedule ? 'schedule' : 'random');
    }
  }
  if (a?.engine) Object.assign(run, toDocument(a.engine.document, run));
  if (cmd.format === 'json') {
    // A search (not a replay) also says at top level what both sides covered together.
    const searched = [run.pre, run.post].filter((s): s is SideRun => s?.exhaustive !== undefined);
    // The bound up to which both are complete: the smaller one of the sides that are not exhaustive.
    const bounds = searched.filter((s) => !s.exhaustive).map((s) => s.bound ?? null);
    const top = searched.length === 0 ? {} : {
      states: searched.reduce((n, s) => n + s.states, 0),
      exhaustive: bounds.length === 0,
      bound: bounds.length === 0 || bounds.includes(null) ? null : minOf(bounds as number[]),
    };
    io.out(JSON.stringify({ ...run, ...top }, null, 2) + '\n');
  }
  else {
    io.out(`${run.scenario}: ${run.title}\nthreads: ${run.threads.join(', ')}\n\n`);
    if (run.pre) io.out(sideText('pre side', run.pre) + '\n');
    if (run.post) io.out(sideText(a ? 'post side' : 'library', run.post) + '\n');
  }
  return 0;
}
