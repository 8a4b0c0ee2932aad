/**
 * One finding per rule, status and place (DESIGN sections 9 and 10): the model tier judges every
 * scenario apart, and several scenarios often show the same break on the same lines. They become
 * one finding whose `scenarios` lists them all; the first (in the order the scenarios ran) is the
 * primary one, whose message, window and trace the finding keeps. A merged finding is complete
 * only when every search behind it was. invalidate-eio is kept apart per cause. A place is the
 * finding's lines (start and end), not its columns.
 */
import type { Finding } from '../findings';

function placeKey(f: Finding): string {
  const r = f.range;
  // A place is its lines: one scenario's trace may stand on a statement's tokens where another's
  // stands on the whole changed line.
  return [f.rule, f.status, f.reason ?? '', f.file ?? '', r.start.line, r.end.line].join('|');
}

export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const byPlace = new Map<string, Finding>();
  for (const f of findings) {
    const k = placeKey(f);
    const first = byPlace.get(k);
    if (!first) {
      const copy: Finding = { ...f };
      if (f.scenario) copy.scenarios = [...(f.scenarios ?? [f.scenario])];
      byPlace.set(k, copy);
      out.push(copy);
      continue;
    }
    for (const s of f.scenarios ?? (f.scenario ? [f.scenario] : [])) {
      first.scenarios ??= [];
      if (!first.scenarios.includes(s)) first.scenarios.push(s);
    }
    if (f.complete === false) first.complete = false;
  }
  for (const f of out) {
    const others = (f.scenarios ?? []).filter((s) => s !== f.scenario);
    if (others.length > 0) f.message = f.message.replace(/\.$/, '') + ` (also in ${others.join(', ')}).`;
  }
  return out;
}
