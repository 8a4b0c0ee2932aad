/**
 * Statuses from the two sides of one scenario (DESIGN section 8). Rules are matched by id, and
 * invalidate-eio also by the failure's cause (a fix may trade one cause for another); a thread
 * that can never finish is matched apart from a livelock under fairness.
 *
 * - post only: `introduced`; pre only: `fixed`; mail code (no pre side): `present`;
 * - both: by the fewest preemptions of each side's witness (the bounded search finds witnesses
 *   with the fewest preemptions first): more on post `narrowed`, fewer `widened`, equal `remaining`;
 * - pre only, but post's search did not finish (a budget, or a thread cut because it can never
 *   finish): nothing is claimed about post, so no `fixed`. One `unjudged` note per side names the
 *   rules it leaves unjudged; a rule found on post stays `introduced` (it breaks after the patch),
 *   and when pre's search did not finish the message says it may be older than the patch.
 */
import type { Finding, Status } from '../findings';
import type { PatchDocument } from '../intake/document';
import type { ScenarioSpec } from '../scenarios/spec';
import type { MessagePlan } from './plan';
import { firstChangedLine } from './anchor';
import { findingOf, type FoundRun, type SideResult } from './verdict';

function matchKey(f: FoundRun): string {
  if (f.rule === 'invalidate-eio') return `${f.rule}|${f.reason ?? ''}`;
  return f.termination ? `${f.rule}|never-finishes` : f.rule;
}

function bothSides(pre: FoundRun, post: FoundRun): Status {
  if (post.preemptions > pre.preemptions) return 'narrowed';
  if (post.preemptions < pre.preemptions) return 'widened';
  return 'remaining';
}

/** Why a side's search did not finish, in words. */
function stopText(s: SideResult, thread?: string): string {
  if (thread) return `${thread} never finishes, so no run of it reaches its end`;
  return `the search stopped at its bound (${s.stopped ?? 'a thread ran out of steps'}) after ${s.states} states`;
}

export function compareSides(doc: PatchDocument, plan: MessagePlan, scenario: ScenarioSpec, pre: SideResult | undefined, post: SideResult): Finding[] {
  const out: Finding[] = [];
  const preKeys = new Map((pre?.found ?? []).map((f) => [matchKey(f), f]));
  const postKeys = new Set(post.found.map(matchKey));
  for (const f of post.found) {
    const p = preKeys.get(matchKey(f));
    const status: Status = !pre ? 'present' : p ? bothSides(p, f) : 'introduced';
    const finding = findingOf(doc, plan, scenario, post, f, status);
    if (pre) finding.preemptions = p ? { pre: p.preemptions, post: f.preemptions } : { post: f.preemptions };
    if (f.termination) finding.severity = 'error';
    if (status === 'introduced' && !pre!.complete) {
      finding.message = finding.message.replace(/\.$/, `; the pre side's search did not finish, so this may be older than the patch.`);
    }
    out.push(finding);
  }
  const unjudged: string[] = [];
  for (const f of pre?.found ?? []) {
    if (postKeys.has(matchKey(f))) continue;
    if (!post.complete) { if (!unjudged.includes(f.rule)) unjudged.push(f.rule); continue; }
    const finding = findingOf(doc, plan, scenario, pre!, f, 'fixed');
    finding.preemptions = { pre: f.preemptions };
    if (f.termination) finding.severity = 'error';
    out.push(finding);
  }
  for (const s of [pre, post]) {
    if (!s || s.complete) continue;
    const hung = s.found.find((f) => f.termination)?.raisedBy;
    const left = s === post && unjudged.length > 0
      ? `${[...unjudged].sort().join(', ')}, broken before the patch, ${unjudged.length === 1 ? 'is' : 'are'} not judged after it`
      : 'interleavings beyond it were not checked';
    out.push({
      rule: 'unmodeled', severity: 'information',
      status: 'unjudged', tier: 'model', scenario: scenario.id, scenarios: [scenario.id], complete: false,
      message: `${scenario.id} (${s.side}): ${stopText(s, hung)}; ${left}.`,
      range: firstChangedLine(doc, plan.functions, s.side === 'pre' ? plan.pre : plan.post, s.side),
    });
  }
  return out;
}
