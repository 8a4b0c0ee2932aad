// One interpreter case (test/fixtures/interpreter/README.md): a .c file whose header says what
// to run on its functions, and the output the model gives, as plain data for its expected file.
import type { RuleId } from '../../server/src/findings';
import { Interpreter } from '../../server/src/model/interpreter';
import { initialState } from '../../server/src/model/init';
import { makeProgram } from '../../server/src/model/program';
import { runSchedule, type RunOptions, type RunResult } from '../../server/src/model/schedule';
import type { State } from '../../server/src/model/state';
import type { PageSpec, ScenarioSpec, ThreadSpec } from '../../server/src/scenarios/spec';
import { cLayer, libraryLayer, scenario } from './helpers';

/** What one run of a case sets up; the header holds a list of them under `runs`. */
interface RunSpec {
  /** The run's name: its key in the expected file. */
  what: string;
  /** The era library the case's C runs beside (and the era the primitives follow); none: the C alone. */
  era?: string;
  threads: ThreadSpec[];
  pages?: PageSpec[];
  /** The invariants judged: `all` (every state and final rule the model knows), or a list; none by default. */
  invariants?: 'all' | RuleId[];
  fs?: ScenarioSpec['fs'];
  epilogue?: boolean;
  /** The file's size in bytes (default: one page per page given, at least one). */
  size?: number;
  /** runSchedule: the threads in the order they step (`name*N`: N steps of it); the rest then run to the end unless `finish` is false. */
  schedule?: string[];
  options?: Pick<RunOptions, 'choices' | 'finish' | 'maxStepsPerThread' | 'maxSteps'>;
  /** Steps one at a time through the interpreter (a thread's name, or `name#choice`), without runSchedule. */
  steps?: string[];
  /** What of the final state and the run the output shows beyond threads, violations, complete and problems. */
  show?: ('trace' | 'notes' | 'pages' | 'ptes' | 'iocbs')[];
}

const HEADER = /^\/\* kpr-case\n([\s\S]*?)\n\*\/\n/;
const RUN_KEYS = new Set(['what', 'era', 'threads', 'pages', 'invariants', 'fs', 'epilogue', 'size', 'schedule', 'options', 'steps', 'show']);

/** The runs in a case's header, and its C functions (each ends where its braces close). */
export function parseCase(text: string): { runs: RunSpec[]; functions: string[] } {
  const h = HEADER.exec(text);
  if (!h) throw new Error('no `/* kpr-case … */` header at the top (test/fixtures/interpreter/README.md)');
  // Words may come before the JSON: what the case is about.
  const body = h[1]!;
  const runs = (JSON.parse(body.slice(Math.max(0, body.search(/^\{/m)))) as { runs: RunSpec[] }).runs;
  for (const r of runs) {
    const unknown = Object.keys(r).filter((k) => !RUN_KEYS.has(k));
    // A misspelt key would be dropped silently and the run would show less than it was meant to.
    if (unknown.length > 0) throw new Error(`run "${r.what}": unknown keys ${unknown.join(', ')}`);
    if (!r.schedule && !r.steps) throw new Error(`run "${r.what}": neither a schedule nor steps, so nothing runs`);
    const shows = (r.show ?? []).filter((x) => !['trace', 'notes', 'pages', 'ptes', 'iocbs'].includes(x));
    if (shows.length > 0) throw new Error(`run "${r.what}": unknown show ${shows.join(', ')}`);
  }
  const functions: string[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const line of text.slice(h[0].length).split('\n')) {
    if (current.length === 0 && line.trim() === '') continue;
    current.push(line);
    for (const ch of line) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (depth === 0 && line.includes('}')) { functions.push(current.join('\n')); current = []; }
  }
  if (current.length > 0) throw new Error(`C after the last function that closes no brace: ${current.join(' ').slice(0, 60)}`);
  return { runs, functions };
}

/** `invariants: "all"`: every rule one run can break (livelock needs a search; bug-on is always judged). */
const ALL: RuleId[] = ['mapped-uptodate', 'dirty-uptodate', 'stray-page', 'dio-coherency', 'dirty-data-loss', 'aio-complete-once',
  'invalidate-eio', 'deadlock', 'sleep-in-atomic', 'lock-order', 'flag-without-lock'];

const value = (v: unknown): string | null => (v === undefined ? null : typeof v === 'bigint' ? v.toString() : JSON.stringify(v));

function threads(s: State) {
  return s.threads.map((t) => ({ name: t.name, status: t.status, ret: value(t.ret), progress: t.progress, exhausted: t.exhausted === true }));
}

function shown(r: RunResult, show: RunSpec['show'] = []) {
  const s = r.state;
  const out: Record<string, unknown> = {};
  for (const what of show) {
    if (what === 'trace') out.trace = r.trace.map((t) => ({ thread: t.thread, function: t.function, code: t.code, effect: t.effect }));
    if (what === 'notes') out.notes = r.notes;
    if (what === 'pages') {
      out.pages = Object.values(s.pages).sort((a, b) => a.id - b.id)
        .map((p) => ({ index: p.index, cached: p.mapping !== null, uptodate: p.uptodate, dirty: p.dirty, count: p.count, mapped: p.ptes.length }));
    }
    if (what === 'ptes') out.ptes = Object.entries(s.mms[1]?.ptes ?? {}).map(([i, p]) => ({ index: Number(i), page: s.pages[p.page]?.index ?? null, dirty: p.dirty }));
    if (what === 'iocbs') out.iocbs = Object.values(s.iocbs).map((c) => ({ id: c.id, sync: c.sync, queued: c.queued, completions: c.completions, result: value(c.result ?? undefined) }));
  }
  return out;
}

/** The output of one run: the thread results, the rules broken (with the failure's cause), and what `show` asks for. */
async function runOne(spec: RunSpec, functions: string[]) {
  const program = makeProgram(spec.era ? await libraryLayer(spec.era) : [], await cLayer(...functions));
  for (const t of spec.threads) if (!program.has(t.entry)) throw new Error(`no function ${t.entry} in the case or its era library`);
  const pages = spec.pages ?? [];
  const more: Partial<ScenarioSpec> = { fs: spec.fs ?? 'ext3', epilogue: spec.epilogue ?? false };
  if (spec.size !== undefined) more.file = { size: spec.size, pages };
  const sc = scenario(spec.threads, pages, spec.invariants === 'all' ? ALL : spec.invariants ?? [], more);
  const out: Record<string, unknown> = {};
  if (spec.steps) out.steps = stepped(program, sc, spec.era, spec.steps);
  if (spec.schedule) {
    const r = runSchedule(program, sc, spec.schedule.flatMap(repeated), { ...spec.options, ...(spec.era ? { era: spec.era } : {}) });
    const rules = [...new Set(r.violations.map((v) => (v.reason ? `${v.rule} (${v.reason})` : v.rule)))].sort();
    out.run = { threads: threads(r.state), violations: rules, complete: r.complete, problems: r.problems, ...shown(r, spec.show) };
  }
  return out;
}

/** `name*N` in a schedule: N entries of `name`. */
function repeated(entry: string): string[] {
  const m = /^(.*)\*(\d+)$/.exec(entry);
  return m ? Array<string>(Number(m[2])).fill(m[1]!) : [entry];
}

/** Each step as the interpreter reports it, then who may run next and who is blocked. */
function stepped(program: ReturnType<typeof makeProgram>, sc: ScenarioSpec, era: string | undefined, steps: string[]) {
  const interp = new Interpreter(program, { fs: sc.fs, ...(era ? { era } : {}) });
  let s = initialState(sc, interp);
  return steps.map((entry) => {
    const [thread, c] = entry.split('#') as [string, string | undefined];
    const choices = interp.choices(s, thread);
    const r = interp.step(s, thread, c === undefined ? 0 : Number(c));
    s = r.state;
    return {
      thread, choices, code: r.record.code, effects: r.effects, notes: r.notes, reads: [...r.reads].sort(), writes: [...r.writes].sort(),
      enabled: [...interp.enabled(s)].sort(), blocked: s.threads.filter((t) => t.status === 'blocked').map((t) => t.name),
    };
  });
}

/** A case's whole output: each run's, by its name. */
export async function runCase(text: string): Promise<Record<string, unknown>> {
  const { runs, functions } = parseCase(text);
  const out: Record<string, unknown> = {};
  for (const spec of runs) {
    if (spec.what in out) throw new Error(`two runs named "${spec.what}"`);
    out[spec.what] = await runOne(spec, functions);
  }
  return out;
}
