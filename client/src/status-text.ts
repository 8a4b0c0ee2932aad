/**
 * The status bar's words for the active patch, from the kpr diagnostics VS Code already holds
 * (no protocol of its own). Pure, so it can be tested without VS Code.
 */

export type Activity = { kind: 'idle' } | { kind: 'analysing' } | { kind: 'running'; scenario: string };

export interface DiagnosticLike {
  source?: string;
  message: string;
}

/** The server ends every message with `[status]` or `[status, scenario]` (server/src/lsp/diagnostics.ts). */
const STATUS = /\[(introduced|remaining|fixed|present)(?:, [^\]]*)?\]$/;

export function countStatuses(diagnostics: readonly DiagnosticLike[]): Record<'introduced' | 'remaining' | 'fixed' | 'present', number> {
  const counts = { introduced: 0, remaining: 0, fixed: 0, present: 0 };
  for (const d of diagnostics) {
    if (d.source !== 'kpr') continue;
    const m = STATUS.exec(d.message);
    if (m) counts[m[1] as keyof typeof counts]++;
  }
  return counts;
}

export function statusText(diagnostics: readonly DiagnosticLike[], activity: Activity): { text: string; tooltip: string } {
  if (activity.kind === 'analysing') return { text: '$(sync~spin) kpr: analysing…', tooltip: 'Kernel Patch Reasoner is analysing this patch' };
  if (activity.kind === 'running') return { text: `$(sync~spin) kpr: running ${activity.scenario}…`, tooltip: 'A scenario is running on the model' };
  const c = countStatuses(diagnostics);
  const bad = (['introduced', 'remaining', 'present'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
  const tooltip = `kpr findings: ${c.introduced} introduced, ${c.remaining} remaining, ${c.fixed} fixed, ${c.present} present. Click for the Problems view.`;
  if (bad.length > 0) return { text: `$(bug) kpr: ${bad.join(', ')}`, tooltip };
  return { text: c.fixed > 0 ? `$(check) kpr: clean, ${c.fixed} fixed` : '$(check) kpr: clean', tooltip };
}
