/**
 * The JSON report of `kpr check --format json` (DESIGN section 10). Lines are 1-based; optional
 * members appear only where they apply. report.schema.json describes the same shape.
 */
import type { Analysis } from '../analysis';
import type { Finding, TraceStep, RaceWindow } from '../findings';
import { hunkOwners } from '../functions/hunk-owners';
import type { HunkPlacement } from '../functions/patch-function';
import type { Range } from '../intake/document';
import { verdictSummary, type VerdictSummary } from '../verdict/summary';
import type { ScenarioReport } from '../verdict/scenario-run';
import { placementWhy } from './finding-message';
import { TOOL_NAME, TOOL_VERSION } from './version';
import type { Abi } from '../lower/ctypes';
import type { MemoryModel } from '../model/weak';
import { shownMessage } from './finding-message';

export interface JsonHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  line: number;
  function?: string;
  placement?: HunkPlacement['placement'];
  matched?: number;
  context?: number;
  why?: string;
}
export interface JsonFile { old: string | null; new: string | null; hunks: JsonHunk[] }
export interface JsonMessage { subject?: string; from?: string; date?: string }
export interface JsonFunction { name: string; file: string; pre: string; post: string; era?: string }
export interface JsonWindow {
  from: number;
  to: number;
  thread: string;
  interferer: { thread: string; function: string; line: number; source: 'patch' | 'model'; modelFile?: string };
}
export interface JsonTraceStep { thread: string; function: string; line: number; source: 'patch' | 'model'; modelFile?: string; code: string; effect: string }
export interface JsonFinding {
  rule: string;
  severity: string;
  status: string;
  tier: string;
  message: string;
  file?: string;
  function?: string;
  line: number;
  endLine: number;
  scenario?: string;
  scenarios?: string[];
  complete?: boolean;
  preemptions?: { pre?: number; post?: number };
  window?: JsonWindow;
  reason?: string;
  trace?: JsonTraceStep[];
}
export interface JsonDocument {
  path: string;
  kind: string;
  messages: JsonMessage[];
  files: JsonFile[];
  functions: JsonFunction[];
  /** The model tier's scenarios (absent when it did not run). */
  scenarios?: JsonScenario[];
  findings: JsonFinding[];
  verdict: VerdictSummary;
  stats: { scenarios: number; states: number; ms: number };
}
export type JsonScenario = Omit<ScenarioReport, 'message'>;
/** The memory model and ABI the model ran under (DESIGN section 13). */
export interface JsonReport { tool: string; version: string; memoryModel: MemoryModel; abi: Abi; documents: JsonDocument[] }

/** The 1-based line of a range's end; a range ending at column 0 of a line ends on the line before. */
function endLine(range: Range): number {
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return last + 1;
}

/** A model-code step has no document range: its line is the 1-based line in the model file. */
function stepLine(s: { range?: Range; modelLine?: number }): number {
  if (s.range) return s.range.start.line + 1;
  if (s.modelLine !== undefined) return s.modelLine + 1;
  return 0;
}

function windowJson(w: RaceWindow): JsonWindow {
  const i = w.interferer;
  const interferer: JsonWindow['interferer'] = { thread: i.thread, function: i.function, line: stepLine(i), source: i.source };
  if (i.modelFile) interferer.modelFile = i.modelFile;
  return { from: w.from.start.line + 1, to: w.to.start.line + 1, thread: w.thread, interferer };
}

function traceJson(t: TraceStep): JsonTraceStep {
  const step: JsonTraceStep = { thread: t.thread, function: t.function, line: stepLine(t), source: t.source, code: t.code, effect: t.effect };
  if (t.modelFile) step.modelFile = t.modelFile;
  return step;
}

export function findingJson(f: Finding): JsonFinding {
  // Members are added in the order DESIGN section 10 lists them, so the output reads the same.
  const out = { rule: f.rule, severity: f.severity, status: f.status, tier: f.tier, message: shownMessage(f) } as JsonFinding;
  if (f.file) out.file = f.file;
  if (f.function) out.function = f.function;
  out.line = f.range.start.line + 1;
  out.endLine = endLine(f.range);
  if (f.scenario) out.scenario = f.scenario;
  if (f.scenarios) out.scenarios = [...f.scenarios];
  if (f.complete !== undefined) out.complete = f.complete;
  if (f.preemptions) out.preemptions = { ...f.preemptions };
  if (f.window) out.window = windowJson(f.window);
  if (f.reason) out.reason = f.reason;
  if (f.trace) out.trace = f.trace.map(traceJson);
  return out;
}

function scenarioJson(r: ScenarioReport): JsonScenario {
  const out: JsonScenario = { id: r.id, era: r.era, judged: r.judged };
  if (r.why !== undefined) out.why = r.why;
  if (r.pre) out.pre = { ...r.pre };
  if (r.post) out.post = { ...r.post };
  return out;
}

export function documentJson(a: Analysis): JsonDocument {
  const d = a.document;
  const owners = hunkOwners(d, a.functions);
  const out: JsonDocument = {
    path: d.path,
    kind: d.kind,
    messages: d.messages.map((m) => {
      const out: JsonMessage = {};
      if (m.subject !== undefined) out.subject = m.subject;
      if (m.from !== undefined) out.from = m.from;
      if (m.date !== undefined) out.date = m.date;
      return out;
    }),
    files: d.files.map((f, fi) => ({
      old: f.oldPath,
      new: f.newPath,
      hunks: f.hunks.map((h, hi) => {
        const out: JsonHunk = { oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, line: h.line + 1 };
        const o = owners[fi]?.[hi];
        if (o?.function !== undefined) out.function = o.function;
        if (o?.placement) {
          const { whyAt: _at, ...placement } = o.placement;
          Object.assign(out, placement);
          const why = placementWhy(o.placement);
          if (why !== undefined) out.why = why;
        }
        return out;
      }),
    })),
    functions: a.functions.map((fn) => {
      const out: JsonFunction = { name: fn.name, file: fn.file, pre: fn.preOrigin, post: fn.postOrigin };
      if (fn.era) out.era = fn.era;
      return out;
    }),
    findings: a.findings.map(findingJson),
    verdict: verdictSummary(a.findings),
    stats: { ...a.stats },
  };
  if (a.scenarios) {
    // In DESIGN section 10's order: scenarios come before findings.
    const { findings, verdict, stats, ...head } = out;
    return { ...head, scenarios: a.scenarios.map(scenarioJson), findings, verdict, stats };
  }
  return out;
}

export function jsonReport(analyses: readonly Analysis[]): JsonReport {
  // One check runs every document under the same ABI and memory model (the CLI's --abi, --memory-model).
  const abi = analyses[0]?.abi ?? 'lp64';
  const memoryModel = analyses[0]?.memoryModel ?? 'sc';
  return { tool: TOOL_NAME, version: TOOL_VERSION, memoryModel, abi, documents: analyses.map(documentJson) };
}

/** The report as the CLI prints it: two-space indentation and a final newline. */
export function formatJson(analyses: readonly Analysis[]): string {
  return JSON.stringify(jsonReport(analyses), null, 2) + '\n';
}
