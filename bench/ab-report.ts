// How the A/B runners (step-ab-run.ts, keys-ab-run.ts, search-ab-run.ts) report their rounds: each
// side's median CPU time, and the median of the per-round ratios, tree / base. The ratio is taken
// within a round, where the two ran in turn, so that the load of the moment cancels out of it.

export const median = (x: readonly number[]): number => x.slice().sort((a, b) => a - b)[x.length >> 1] ?? 0;

/** Prints the rounds' times (ms of CPU per side) and their paired ratios, under `what` when given. */
export function reportRounds(ms: Record<'base' | 'tree', number[]>, what?: string): void {
  const indent = what === undefined ? '' : '  ';
  if (what !== undefined) console.log(what);
  for (const name of ['base', 'tree'] as const) console.log(`${indent}${name}: median ${median(ms[name]).toFixed(0)} ms CPU (${ms[name].map((x) => x.toFixed(0)).join(' ')})`);
  const ratios = ms.base.map((b, i) => ms.tree[i] / b);
  console.log(`${indent}tree / base per round: median ${median(ratios).toFixed(3)} (${ratios.map((x) => x.toFixed(2)).join(' ')})`);
}
