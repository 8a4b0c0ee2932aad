/**
 * TEMPORARY, LOCAL DERIVATION of the per-message verdict from findings. The engine's own summary
 * (the `verdict` helper's, DESIGN section 10 `verdict`) replaces this file once it lands on main:
 * there must be one computation only. Everything that shows a verdict goes through
 * `messageVerdicts` (report/verdict-line.ts) so the switch is one import.
 *
 * Rules are counted once per bucket however many scenarios or places show them; hints (notes
 * such as `unmodeled`) and `patch-syntax` carry no verdict.
 */
import type { Finding } from '../findings';

export interface VerdictSummary {
  fixes: string[];
  introduces: string[];
  narrows: string[];
  widens: string[];
  remains: string[];
  unjudged: string[];
}

/** Which bucket a status counts in; statuses the engine may add later fall into none. */
const BUCKET: Record<string, keyof VerdictSummary> = {
  fixed: 'fixes',
  introduced: 'introduces',
  narrowed: 'narrows',
  widened: 'widens',
  remaining: 'remains',
  present: 'remains',
  unjudged: 'unjudged',
};

export function localVerdict(findings: readonly Finding[]): VerdictSummary {
  const v: VerdictSummary = { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [] };
  for (const f of findings) {
    // As in verdict/summary.ts: how the patch is written (`patch-syntax`) is no verdict on its code.
    if (f.severity === 'hint' || f.rule === 'patch-syntax') continue;
    const bucket = BUCKET[f.status as string];
    if (bucket && !v[bucket].includes(f.rule)) v[bucket].push(f.rule);
  }
  for (const k of Object.keys(v) as (keyof VerdictSummary)[]) v[k].sort();
  return v;
}
