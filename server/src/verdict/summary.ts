/**
 * The verdict of a document (DESIGN sections 9 and 10): which rules the patch fixes, introduces,
 * narrows, widens and still has, and which scenarios it could not judge. This is the one place
 * that computes it; the JSON report, the CLI's closing line, the status bar, lenses and views all
 * read it from here.
 *
 * Counted by rule: a rule is listed once per bucket however many scenarios or places show it, so
 * a rule may sit in two buckets (fixed in one function, introduced in another). `present` (mail
 * code, one side) counts as still having the rule. `unjudged` lists scenario ids, since what could
 * not be judged is a scenario (a changed function on its path was not placed, or a side's search
 * could not finish), not a rule. Notes (`unmodeled`: what the model assumes or did not cover) and
 * `patch-syntax` (how the patch is written, not what its code does) carry no verdict.
 */
import type { Finding, RuleId, Status } from '../findings';

export interface VerdictSummary {
  fixes: string[];
  introduces: string[];
  narrows: string[];
  widens: string[];
  remains: string[];
  /** Scenario ids. */
  unjudged: string[];
}

const BUCKET: Record<Exclude<Status, 'unjudged'>, Exclude<keyof VerdictSummary, 'unjudged'>> = {
  fixed: 'fixes',
  introduced: 'introduces',
  narrowed: 'narrows',
  widened: 'widens',
  remaining: 'remains',
  present: 'remains',
};

const NO_VERDICT: ReadonlySet<RuleId> = new Set<RuleId>(['unmodeled', 'patch-syntax']);

/** The verdict the findings add up to (each list sorted, without repeats). */
export function verdictSummary(findings: readonly Finding[]): VerdictSummary {
  const v: VerdictSummary = { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [] };
  const add = (list: string[], item: string) => { if (!list.includes(item)) list.push(item); };
  for (const f of findings) {
    if (f.status === 'unjudged') {
      for (const s of f.scenarios ?? (f.scenario ? [f.scenario] : [])) add(v.unjudged, s);
      continue;
    }
    if (NO_VERDICT.has(f.rule)) continue;
    add(v[BUCKET[f.status]], f.rule);
  }
  for (const list of Object.values(v)) list.sort();
  return v;
}
