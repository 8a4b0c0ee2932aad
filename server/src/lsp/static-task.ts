/**
 * The static tier as a worker task (run by server/dist/static-worker.js, see static-worker.ts):
 * the analysis facade on a document's text, off the language server's thread, which makes the
 * document version's one analysis; and the scenario listing, which plans that analysis (handed
 * back in, `tierInput`) on the era libraries lowered. Parameters are plain data (text, path, an
 * analysis and validated scenario specs, never code); the results survive structured clone
 * (plain objects, arrays and strings). Each result says how many analyses its task made
 * (`analyses`: one for the static tier, none for the listing), for lsp/analysis-trace.ts.
 *
 * `analyze` cannot be interrupted, so the task itself does not watch the cancel flag: the pool
 * cancels by terminating the worker (static-pool.ts). It does look at the flag once before it
 * starts, so that a job cancelled while its message was in flight costs nothing.
 */
import type { Abi } from '../lower/ctypes';
import { analyze, counted, initAnalysis, listScenarios, type Analysis } from '../analysis';
import type { CancelToken, Progress } from '../explore/search';
import { eras, libraryFunctions } from '../model/library/index';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import type { ScenarioSpec } from '../scenarios/spec';
import type { ModelTierInput } from '../verdict/tier';

export const STATIC_TASK = 'lsp-static';

/** Which scenarios apply to a document (code lenses, commands): a plan per message of its analysis. */
export interface ListParams {
  /** What the model tier reads of the document's analysis (worker/model-tasks.ts `tierInput`). */
  analysis: ModelTierInput;
  /** Users' scenarios (already validated data) besides the built-in ones. */
  extra: ScenarioSpec[];
}

/** `abi`: the C data model to lower with (`kpr.abi`; absent: lp64). */
export type StaticParams = { text: string; path: string; abi?: Abi } | { list: ListParams } | { warm: 'parser' | 'all' };

export interface Applies {
  id: string;
  applies: boolean;
}

export type StaticResult =
  | { kind: 'analysis'; analysis: Analysis; ms: number; analyses: number }
  | { kind: 'listing'; listing: Applies[]; ms: number; analyses: number }
  | { kind: 'warm'; ms: number; error?: string }
  | { kind: 'skipped' };

/**
 * A one-hunk patch that adds a line to the first function of an era's library, so that a fresh
 * worker lowers that library (and compiles the analysis code) before a user's document needs it.
 * Built from the library's own text: nothing about any era is written here.
 */
function warmPatch(era: string): string | undefined {
  for (const fn of libraryFunctions(era).values()) {
    const lines = fn.text.replace(/\n$/, '').split('\n');
    const open = lines.findIndex((l) => l.includes('{'));
    if (open < 0 || lines.length < open + 3) continue;
    const file = `mm/${fn.file.replace(/\.patch$/, '').split('/').pop() ?? 'x.c'}`;
    const at = (fn.origin[0]?.line ?? 0) + 1;
    const body = [...lines.slice(0, open + 1).map((l) => ` ${l}`), '+\tbarrier();', ...lines.slice(open + 1).map((l) => ` ${l}`)];
    return `--- a/${file}\n+++ b/${file}\n@@ -${at},${lines.length} +${at},${lines.length + 1} @@\n${body.join('\n')}\n`;
  }
  return undefined;
}

/**
 * Warm-up: the C parser's WASM (`parser`), and with `all` each era library parsed and one patch
 * analysed per era, which a fresh worker's first document otherwise pays for (about 300 ms on the
 * 2-core machine). Never throws: a failure is returned for the pool to log, and the first
 * document meets it again.
 */
async function warm(what: 'parser' | 'all'): Promise<StaticResult> {
  const started = performance.now();
  try {
    await initAnalysis();
    if (what === 'all') for (const era of eras()) {
      const patch = warmPatch(era);
      if (patch) analyze(patch, `warm-${era}.patch`);
    }
    return { kind: 'warm', ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { kind: 'warm', ms: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) };
  }
}

/** `onProgress` is called once, when the analysis starts: the pool's time bound counts from there. */
export async function staticTask(params: StaticParams, signal?: CancelToken, onProgress?: (p: Progress) => void): Promise<StaticResult> {
  if ('warm' in params) return warm(params.warm);
  await initAnalysis();
  if (signal?.aborted) return { kind: 'skipped' };
  const started = performance.now();
  onProgress?.({ states: 0, transitions: 0, ms: 0 });
  if ('list' in params) {
    // Lowering the era library for the plans costs 200-400 ms the first time per era and worker:
    // that is why this runs here and not on the server's thread.
    const { analysis, extra } = params.list;
    const listing = counted(() => listScenarios(analysis, [...BUILTIN_SCENARIOS, ...extra]).map((l) => ({ id: l.scenario.id, applies: l.applies })));
    return { kind: 'listing', listing: listing.value, ms: Math.round(performance.now() - started), analyses: listing.analyses };
  }
  const analysis = counted(() => analyze(params.text, params.path, { abi: params.abi }));
  return { kind: 'analysis', analysis: analysis.value, ms: Math.round(performance.now() - started), analyses: analysis.analyses };
}
