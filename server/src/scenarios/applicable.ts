/**
 * Which scenarios apply to a patch: those whose threads can reach a function the patch changes
 * (DESIGN section 6). Reachability is computed on the call graph of the era's library, read
 * from the library C itself (every call expression of every definition), so that a library
 * change is reflected without a hand-kept list.
 *
 * Calls through pointers are named by their member (`nopage`, `direct_IO`); `INDIRECT` says
 * which library functions stand behind them in the model (README.md beside the library).
 * Needs `initParser()` to have completed.
 */
import { parseC, type SyntaxNode } from '../c/parser';
import { libraryFunctions } from '../model/library/index';
import { BUILTIN_SCENARIOS } from './catalog';
import type { ScenarioSpec } from './spec';

/**
 * Library functions the model runs on behalf of a call through a pointer or a primitive:
 * `vma->vm_ops->nopage` is `filemap_nopage` (`->fault`, `filemap_fault` from 2.6.23); a queued `->direct_IO` starts `dio_bio_end_aio`.
 */
const INDIRECT: Record<string, string[]> = {
  nopage: ['filemap_nopage'],
  fault: ['filemap_fault'],
  launder_page: ['nfs_launder_page'],
  direct_IO: ['dio_bio_end_aio'],
};

const graphCache = new Map<string, Map<string, Set<string>>>();

/** Names called by a function's text (plain calls and the member named by calls through pointers). */
export function calleesOf(text: string): Set<string> {
  const out = new Set<string>();
  const tree = parseC(text);
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'call_expression') {
      const f = n.childForFieldName('function');
      if (f?.type === 'identifier') out.add(f.text);
      else if (f?.type === 'field_expression') {
        const field = f.childForFieldName('field');
        if (field) out.add(field.text);
      }
    }
    for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  return out;
}

/** Callees of every library function of an era, with calls through pointers resolved. */
export function callGraph(era: string): Map<string, Set<string>> {
  let g = graphCache.get(era);
  if (!g) {
    g = new Map();
    for (const [name, fn] of libraryFunctions(era)) {
      const callees = new Set<string>();
      for (const c of calleesOf(fn.text)) {
        callees.add(c);
        for (const target of INDIRECT[c] ?? []) callees.add(target);
      }
      g.set(name, callees);
    }
    graphCache.set(era, g);
  }
  return g;
}

/** Every function reachable from `entries` (entries included), library functions or not. */
export function reachable(era: string, entries: string[]): Set<string> {
  const g = callGraph(era);
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const c of g.get(f) ?? []) if (!seen.has(c)) todo.push(c);
  }
  return seen;
}

/** Whether a scenario can run on an era: listed in its eras, or (none listed) all entries exist. */
export function scenarioRunsOn(s: ScenarioSpec, era: string): boolean {
  if (s.eras) return s.eras.includes(era);
  const fns = libraryFunctions(era);
  return s.threads.every((t) => fns.has(t.entry));
}

/**
 * The scenarios (built-in unless `scenarios` is given) that run on `era` and whose threads can
 * reach one of the changed functions. A changed function that is itself an entry counts.
 */
export function applicableScenarios(
  changedFunctionNames: string[], era: string, scenarios: readonly ScenarioSpec[] = BUILTIN_SCENARIOS,
): ScenarioSpec[] {
  const changed = new Set(changedFunctionNames);
  return scenarios.filter((s) => {
    if (!scenarioRunsOn(s, era)) return false;
    const r = reachable(era, s.threads.map((t) => t.entry));
    for (const f of r) if (changed.has(f)) return true;
    return false;
  });
}
