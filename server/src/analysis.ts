/**
 * The one facade both surfaces (CLI and language server) call: text in, document model,
 * functions and findings out. Pure apart from timing; never throws for any input text.
 */
import type { Abi } from './lower/ctypes';
import type { PatchDocument, IntakeProblem } from './intake/document';
import type { MemoryModel } from './model/weak';
import type { PatchFunction } from './functions/patch-function';
import { INTERNAL_ERROR, type Finding } from './findings';
import { parseDocument } from './intake/parse';
import { surfaceDocument, surfaceFunctions, toDocument } from './intake/decoded-map';
import { extractFunctions } from './functions/extract';
import { runStaticRules } from './rules/static';
import { initParser, type TreeSitterWasm } from './c/parser';
import { installLibrary, type LayerSource } from './model/library/index';
import type { LibrarySpans } from './model/library/spans';
import { runModelTier, type ModelTierOptions } from './verdict/tier';
import type { ScenarioReport } from './verdict/scenario-run';
import { appendAll } from './arrays';
import { decodeLoweredLibrary, useLoweredLibrary } from './verdict/lowered-library';

export { listScenarios, runScenario, runModelTier, type ModelTierOptions, type ModelTierResult, type ScenarioListing } from './verdict/tier';

export interface AnalysisStats {
  scenarios: number;
  states: number;
  ms: number;
}

export interface Analysis {
  /** The document as surfaces show it: every position lies in the text that was analysed. */
  document: PatchDocument;
  functions: PatchFunction[];
  /**
   * What the engine reads when mail parts were decoded (`document.decoded`): the document with
   * the decoded text after its own lines, and the functions with positions there. The model tier
   * runs on it and maps what it reports back (intake/decoded-map.ts). Absent when nothing was
   * decoded: then the engine reads `document` and `functions`.
   */
  engine?: { document: PatchDocument; functions: PatchFunction[] };
  findings: Finding[];
  stats: AnalysisStats;
  /** The model tier's scenarios, once it ran (DESIGN section 10 `scenarios[]`). */
  scenarios?: ScenarioReport[];
  /**
   * Why the analysis is incomplete, one reason per stage that failed or bound that stopped it
   * (an internal error, a model search that did not cover its bounded space, a CLI bound); absent
   * when it is complete. The CLI exits 3 on it when no blocking finding decides first.
   */
  incomplete?: string[];
  /** The C data model both tiers lower the code with (absent: `lp64`). */
  abi?: Abi;
  /** The memory model the model tier runs under (absent: `sc`). */
  memoryModel?: MemoryModel;
}

export interface AnalysisOptions {
  /** The C data model the code is lowered with (DESIGN section 13; default `lp64`). */
  abi?: Abi;
  /** The memory model the model tier runs under (DESIGN section 13; default `sc`). */
  memoryModel?: MemoryModel;
  /** Run the static rules (default true). Intake and function problems are always reported. */
  staticRules?: boolean;
  /** Problems met before parsing (decoding the file's bytes); reported like intake's own. */
  decodeProblems?: readonly IntakeProblem[];
}

/**
 * What the engine is handed instead of reading files: tree-sitter's WASM and the era libraries'
 * layers. An entry point reads them (engine-assets.ts) and gives them to `useEngineAssets`; a
 * part that could not be read is its error, met by `initAnalysis`.
 */
export interface EngineAssets {
  wasm: TreeSitterWasm | { error: string };
  library: LayerSource[];
  /** Where the library's functions lie, as the build computed them (model/library/spans.ts). */
  librarySpans?: LibrarySpans;
  /** The library's step programs as the build lowered them, in their file's bytes (verdict/lowered-library.ts). */
  loweredLibrary?: Uint8Array;
}

let wasm: EngineAssets['wasm'] | undefined;
let initialised: Promise<void> | undefined;

/** Installs the era libraries and keeps the WASM for `initAnalysis`. Entry points call it once, at start. */
export function useEngineAssets(assets: EngineAssets): void {
  installLibrary(assets.library, assets.librarySpans);
  useLoweredLibrary(assets.loweredLibrary ? decodeLoweredLibrary(assets.loweredLibrary) : undefined);
  wasm = assets.wasm;
}

/**
 * Prepares what analysis needs before its first use (tree-sitter loads its WASM asynchronously),
 * from what `useEngineAssets` was given. Surfaces await it once at startup; calling it again is cheap.
 */
export function initAnalysis(): Promise<void> {
  // Loading tree-sitter once here lets lowering and the static rules parse C synchronously.
  // A failure is reported to the caller (which logs it); analysis still runs, and the stages that
  // need C report an internal-error finding instead of crashing. Assets not yet given are not
  // cached as a failure: a later call after `useEngineAssets` loads them.
  if (initialised) return initialised;
  if (!wasm) return Promise.reject(new Error('the engine was not given its assets (useEngineAssets) before initAnalysis()'));
  initialised = 'error' in wasm ? Promise.reject(new Error(wasm.error)) : initParser(wasm);
  return initialised;
}

/** Turns an intake or functions problem into the `patch-syntax` finding that reports it. */
export function problemFinding(problem: IntakeProblem, doc: PatchDocument): Finding {
  const finding: Finding = {
    rule: 'patch-syntax',
    severity: problem.severity,
    status: 'introduced',
    tier: 'static',
    message: problem.message,
    range: problem.range,
  };
  const file = doc.files.find((f) => f.range.start.line <= problem.range.start.line && problem.range.start.line <= f.range.end.line);
  const name = file ? (file.newPath ?? file.oldPath) : null;
  if (name) finding.file = name;
  if (problem.related && problem.related.length > 0) finding.related = problem.related;
  if (problem.namedLine) finding.namedLine = problem.namedLine;
  return finding;
}

/** The internal-error findings' messages: each one is a reason the analysis is incomplete. */
function incompleteReasons(findings: readonly Finding[]): string[] {
  return findings.filter((f) => f.message.startsWith(INTERNAL_ERROR)).map((f) => f.message);
}

/** Records that `analysis` is incomplete, and why. */
export function markIncomplete(analysis: Analysis, why: string): void {
  (analysis.incomplete ??= []).push(why);
}

/** A finding that reports a stage that failed unexpectedly, so a bug shows instead of crashing. */
function internalFinding(stage: string, err: unknown): Finding {
  const why = err instanceof Error ? err.message : String(err);
  return {
    rule: 'patch-syntax',
    severity: 'warning',
    status: 'introduced',
    tier: 'static',
    message: `${INTERNAL_ERROR} in ${stage}; results are incomplete: ${why}`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

let analysesRun = 0;

/** A value and how many analyses (`analyze` calls) were made to compute it. */
export interface Counted<R> {
  value: R;
  analyses: number;
}

/**
 * Runs `work` and counts the analyses it made in this thread. The language server's worker tasks
 * report it, so that a test can hold the server to one analysis per document version
 * (lsp/analysis-trace.ts). `work` is synchronous: nothing else runs in the thread meanwhile.
 */
export function counted<R>(work: () => R): Counted<R> {
  const before = analysesRun;
  const value = work();
  return { value, analyses: analysesRun - before };
}

/** Runs intake, function extraction and the static tier on one document. */
export function analyze(text: string, path: string, options: AnalysisOptions = {}): Analysis {
  analysesRun++;
  const started = performance.now();
  const abi = options.abi ?? 'lp64';
  const findings: Finding[] = [];
  let document: PatchDocument;
  try {
    document = parseDocument(text, path);
  } catch (err) {
    // Intake promises never to throw; if it does anyway, keep the surfaces alive.
    document = { path, kind: 'prose', lines: text.split(/\r\n|\r|\n/), messages: [], files: [], codeBlocks: [], problems: [] };
    findings.push(internalFinding('intake', err));
  }
  for (const p of options.decodeProblems ?? []) findings.push(problemFinding(p, document));
  for (const p of document.problems) findings.push(problemFinding(p, document));

  let functions: PatchFunction[] = [];
  try {
    const extracted = extractFunctions(document);
    functions = extracted.functions;
    for (const p of extracted.problems) findings.push(problemFinding(p, document));
  } catch (err) {
    findings.push(internalFinding('function extraction', err));
  }

  if (options.staticRules !== false) {
    try {
      appendAll(findings, runStaticRules(document, functions, undefined, abi));
    } catch (err) {
      findings.push(internalFinding('static rules', err));
    }
  }

  const shown = toDocument(document, findings).sort(compareFindings);
  const analysis: Analysis = { document, functions, findings: shown, stats: { scenarios: 0, states: 0, ms: Math.round(performance.now() - started) }, abi };
  if (document.decoded) {
    analysis.engine = { document, functions };
    analysis.document = surfaceDocument(document);
    analysis.functions = surfaceFunctions(document, functions);
  }
  if (options.memoryModel && options.memoryModel !== 'sc') analysis.memoryModel = options.memoryModel;
  for (const why of incompleteReasons(findings)) markIncomplete(analysis, why);
  for (const p of document.problems) if (p.unread) markIncomplete(analysis, p.message);
  return analysis;
}

/**
 * The model tier (DESIGN section 8), run after `analyze`: every applicable scenario on pre and
 * post. Adds its findings to `analysis.findings` (re-sorted) and fills `analysis.stats`; returns
 * the model findings. Errors in the tier become an internal-error finding, never a rejection.
 * The work itself is synchronous (searches check `signal` and `budgetMs` as they go); callers
 * that must stay responsive run it on a worker.
 */
export async function analyzeModel(analysis: Analysis, options: ModelTierOptions = {}): Promise<Finding[]> {
  await initAnalysis();
  return analyzeModelSync(analysis, options);
}

/** `analyzeModel` for callers that already awaited `initAnalysis()` (the CLI). */
export function analyzeModelSync(analysis: Analysis, options: ModelTierOptions = {}): Finding[] {
  let found: Finding[];
  try {
    const r = runModelTier(analysis, options);
    found = r.findings;
    analysis.scenarios = [...(analysis.scenarios ?? []), ...r.runs];
    analysis.stats = { scenarios: analysis.stats.scenarios + r.scenarios, states: analysis.stats.states + r.states, ms: analysis.stats.ms + r.ms };
  } catch (err) {
    found = [internalFinding('model tier', err)];
  }
  analysis.findings = [...analysis.findings, ...found].sort(compareFindings);
  return found;
}

/** Document order, then rule id, so every surface lists findings the same way. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.rule.localeCompare(b.rule)
  );
}

/** True when the findings should fail a CI run: an error that the patch introduces, widens or leaves. */
export function hasBlockingFinding(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error' && (f.status === 'introduced' || f.status === 'widened' || f.status === 'remaining'));
}
