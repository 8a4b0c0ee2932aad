/**
 * Turns the rule hits of a function's pre and post side into findings with a status (DESIGN
 * section 8): post only → introduced, both → remaining, pre only → fixed, mail code → present.
 * Hits are matched by rule and key (callee names and normalised expression text, never line
 * numbers); several hits with one key are paired in document order.
 *
 * A hit is shown only where it lies on a document line of its side (library lines of a spliced
 * body are not the patch's business); c-warning is shown only on added lines (post) or removed
 * lines (a fixed warning on the pre side).
 */
import type { Range } from '../intake/document';
import type { PatchFunction } from '../functions/patch-function';
import type { Finding, Status } from '../findings';
import { RULES } from '../findings';
import type { Loc } from '../ir/step-program';
import type { RuleHit } from './rule';
import { locToRange } from './ir-util';

export interface SideResult {
  hits: RuleHit[];
  /** Document lines this side's text comes from. */
  lines: ReadonlySet<number>;
}

export interface LineKinds {
  added: ReadonlySet<number>;
  removed: ReadonlySet<number>;
}

function byPosition(a: RuleHit, b: RuleHit): number {
  return a.loc.line - b.loc.line || a.loc.col - b.loc.col;
}

function groupKey(h: RuleHit): string {
  return `${h.rule}\u0000${h.key}`;
}

function group(hits: RuleHit[]): Map<string, RuleHit[]> {
  const out = new Map<string, RuleHit[]>();
  for (const h of [...hits].sort(byPosition)) {
    const k = groupKey(h);
    const list = out.get(k) ?? [];
    // The same hit twice at one place (two rules' passes, a re-visited step) is one finding.
    if (!list.some((x) => x.loc.line === h.loc.line && x.loc.col === h.loc.col)) list.push(h);
    out.set(k, list);
  }
  return out;
}

export function compareSides(fn: PatchFunction, pre: SideResult | undefined, post: SideResult | undefined, kinds: LineKinds): Finding[] {
  const findings: Finding[] = [];
  const present = fn.postOrigin === 'present';
  const emit = (hit: RuleHit, side: SideResult, status: Status) => {
    if (!side.lines.has(hit.loc.line)) return;
    if (hit.rule === 'c-warning' && !present) {
      const wanted = status === 'fixed' ? kinds.removed : kinds.added;
      if (!wanted.has(hit.loc.line)) return;
    }
    findings.push(toFinding(fn, hit, status, side.lines));
  };
  if (present || !pre) {
    if (post) for (const h of group(post.hits).values()) for (const hit of h) emit(hit, post, present ? 'present' : 'introduced');
    return findings;
  }
  const preGroups = group(pre.hits);
  const postGroups = post ? group(post.hits) : new Map<string, RuleHit[]>();
  for (const [k, posts] of postGroups) {
    const pres = preGroups.get(k) ?? [];
    posts.forEach((hit, i) => emit(hit, post!, i < pres.length ? 'remaining' : 'introduced'));
  }
  for (const [k, pres] of preGroups) {
    const matched = postGroups.get(k)?.length ?? 0;
    pres.slice(matched).forEach((hit) => emit(hit, pre, 'fixed'));
  }
  return findings;
}

function toFinding(fn: PatchFunction, hit: RuleHit, status: Status, lines: ReadonlySet<number>): Finding {
  const finding: Finding = {
    rule: hit.rule,
    severity: RULES[hit.rule].severity,
    status,
    tier: 'static',
    message: hit.message,
    range: locToRange(hit.loc),
    function: fn.name,
  };
  if (fn.file) finding.file = fn.file;
  const related: { message: string; range: Range }[] = (hit.related ?? [])
    .filter((r: { loc: Loc }) => lines.has(r.loc.line))
    .map((r) => ({ message: r.message, range: locToRange(r.loc) }));
  if (related.length > 0) finding.related = related;
  return finding;
}
