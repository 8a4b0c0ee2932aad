/**
 * The verdict at a glance for editors: the `kpr/verdict` notification the server sends with every
 * publish of a document's diagnostics. Per message: the verdict counted by rule (the status bar
 * and the message's code lens words), and the findings as the Patch Verdict view shows them:
 * status → rule → places → scenarios. `model` says whether the model tier has answered for this
 * version ('analysing' until it has: the status bar must not call a patch clean before that).
 * Any client may ignore the notification; the same verdict is in the code lens.
 */
import type { Analysis } from '../analysis';
import { scenariosOf, type Finding, type Status } from '../findings';
import type { MessageVerdictView, ModelState, PlaceView, StatusGroupView, VerdictParams } from '../protocol';
import { messageVerdicts, verdictCounts, verdictDetail } from '../report/verdict-line';
import { shownMessage } from '../report/finding-message';


/** The order statuses are listed in: bad news first. */
const STATUS_ORDER: readonly string[] = ['introduced', 'widened', 'remaining', 'present', 'narrowed', 'fixed', 'unjudged'];

/** Findings grouped by status, then rule, then place (start position); a place lists its scenarios. */
export function groupFindings(findings: readonly Finding[]): StatusGroupView[] {
  const byStatus = new Map<string, Map<string, Map<string, PlaceView>>>();
  for (const f of findings) {
    if (f.severity === 'hint') continue;
    const rules = byStatus.get(f.status) ?? new Map<string, Map<string, PlaceView>>();
    byStatus.set(f.status, rules);
    const places = rules.get(f.rule) ?? new Map<string, PlaceView>();
    rules.set(f.rule, places);
    const key = `${f.range.start.line}:${f.range.start.character}`;
    const place = places.get(key);
    if (place) {
      for (const s of scenariosOf(f)) if (!place.scenarios.includes(s)) place.scenarios.push(s);
    } else places.set(key, { range: f.range, message: shownMessage(f), scenarios: scenariosOf(f) });
  }
  const rank = (s: string) => (STATUS_ORDER.includes(s) ? STATUS_ORDER.indexOf(s) : STATUS_ORDER.length);
  return [...byStatus.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([status, rules]) => ({
      status: status as Status,
      rules: [...rules.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([rule, places]) => ({ rule, places: [...places.values()].sort((a, b) => a.range.start.line - b.range.start.line) })),
    }));
}

export function verdictParams(uri: string, version: number, model: ModelState, a: Pick<Analysis, 'document' | 'findings'>): VerdictParams {
  return {
    uri,
    version,
    model,
    messages: messageVerdicts(a).map((m) => ({
      index: m.index,
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      line: m.line,
      counts: verdictCounts(m.verdict),
      detail: verdictDetail(m.verdict),
      verdict: m.verdict,
      groups: groupFindings(m.findings),
    })),
  };
}
