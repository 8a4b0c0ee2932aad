/**
 * The static tier (DESIGN sections 6 and 8): lowers the pre and post side of every function,
 * runs the flow rules on both step programs and the syntactic c-warning checks on both parse
 * trees, and compares the two sides to give each finding its status. Never throws.
 *
 * Every problem becomes a finding (issue 7): lowering notes on the side's document lines become
 * notes (`unmodeled` for code the model does not know or does not run, `patch-syntax` for C that
 * does not parse; both below warning severity, since a kernel macro can confuse the parser), and a
 * rule or stage that throws becomes an internal-error finding naming it, so that a bug shows
 * instead of silently hiding that rule's findings while the other rules still report theirs.
 */
import type { PatchDocument, Range } from '../intake/document';
import type { FunctionSide, PatchFunction } from '../functions/patch-function';
import { INTERNAL_ERROR, type Finding, type Severity } from '../findings';
import type { LowerNote } from '../ir/step-program';
import { parseC, parserReady } from '../c/parser';
import { lowerFunction } from '../lower/lower';
import type { Abi } from '../lower/ctypes';
import { fragmentText, wholeText } from '../lower/fragment';
import type { RuleHit, StaticRule } from './rule';
import { flagWithoutLock } from './flag-without-lock';
import { uncheckedReturn } from './unchecked-return';
import { errorClobber } from './error-clobber';
import { lockOrder } from './lock-order';
import { sleepInAtomic } from './sleep-in-atomic';
import { cWarning, cWarningSyntax } from './c-warning';
import { compareSides, type LineKinds, type SideResult } from './status';
import { appendAll } from '../arrays';

/** Every flow rule of the static tier, in the order they run. */
export const STATIC_RULES: readonly StaticRule[] = [flagWithoutLock, uncheckedReturn, errorClobber, lockOrder, sleepInAtomic, cWarning];

/**
 * Note findings shown per function before the rest are folded into one summary finding: a body
 * the parser cannot follow (a pasted mail, a macro-heavy driver) can give a note per token, and a
 * page of hints would bury the findings that matter.
 */
export const MAX_NOTES_PER_FUNCTION = 8;

/** Lowering stops on an exception with a note of this prefix (lower.ts): an internal error, not a note. */
const LOWERING_STOPPED = 'lowering stopped';

/** A stage that failed on one side: reported as an internal error, never dropped. */
export interface StageFailure {
  /** What failed: `rule <id> (<name>)`, `lowering`, `the c-warning syntax checks`. */
  what: string;
  why: string;
}

export interface SideAnalysis extends SideResult {
  /** Lowering notes, as hits (rule `unmodeled` or `patch-syntax`) keyed by kind and message. */
  notes: { kind: LowerNote['kind']; hit: RuleHit }[];
  failures: StageFailure[];
}

/** Document lines that hunks add and remove (c-warning looks only at added code). */
export function lineKinds(doc: PatchDocument): LineKinds {
  const added = new Set<number>();
  const removed = new Set<number>();
  for (const f of doc.files) {
    for (const h of f.hunks) {
      for (const l of h.lines) {
        if (l.kind === '+') added.add(l.line);
        else if (l.kind === '-') removed.add(l.line);
      }
    }
  }
  return { added, removed };
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The finding text of a lowering note: what the model does about it, so a reader can judge. */
function noteHit(n: LowerNote): { kind: LowerNote['kind']; hit: RuleHit } {
  const text = n.message.replace(/\.$/, '');
  const cap = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  // Lowering's own words say what it left out; the unmodeled and syntax ones also say what follows.
  const message =
    n.kind === 'syntax' ? `Syntax: ${text}; the rest of the function is still checked.`
    : n.kind === 'unmodeled' ? `${cap}: the model gives it any value it could have.`
    : `${cap}.`;
  return { kind: n.kind, hit: { rule: n.kind === 'syntax' ? 'patch-syntax' : 'unmodeled', loc: n.loc, message, key: `${n.kind}\u0000${text}` } };
}

/** Runs every rule on one side; `fragment` makes entry state unknown. `rules` is a seam for tests. */
export function analyseSide(side: FunctionSide, name: string, fragment: boolean, rules: readonly StaticRule[] = STATIC_RULES, abi: Abi = 'lp64'): SideAnalysis {
  const lines = new Set<number>();
  if (side.c.source.kind === 'document') for (const m of side.c.map) if (m.line >= 0) lines.add(m.line);
  const hits: RuleHit[] = [];
  const out: SideAnalysis = { hits, lines, notes: [], failures: [] };
  if (!parserReady()) return out; // runStaticRules reports this once for the document
  let lowered: ReturnType<typeof lowerFunction> | undefined;
  try {
    lowered = lowerFunction(side, name, abi);
  } catch (e) {
    out.failures.push({ what: 'lowering', why: why(e) });
  }
  // One note per line and message: a name used three times on a line is one problem there.
  const seen = new Set<string>();
  for (const n of lowered?.notes ?? []) {
    if (n.message.startsWith(LOWERING_STOPPED)) { out.failures.push({ what: 'lowering', why: n.message.slice(LOWERING_STOPPED.length).replace(/^:\s*/, '') }); continue; }
    const h = noteHit(n);
    const k = `${h.hit.key}\u0001${h.hit.loc.line}`;
    if (!seen.has(k)) out.notes.push(h);
    seen.add(k);
  }
  const ir = lowered?.ir;
  if (ir) {
    for (const rule of rules) {
      try {
        appendAll(hits, rule.run({ ir, fragment }));
      } catch (e) {
        // One rule's bug must not hide the other rules' findings, nor its own absence.
        out.failures.push({ what: `rule ${rule.id} (${rule.name})`, why: why(e) });
      }
    }
  }
  try {
    const pt = fragment ? fragmentText(side.c) : wholeText(side.c);
    const tree = parseC(pt.text);
    try {
      appendAll(hits, cWarningSyntax(tree.rootNode, side.c, pt.rows));
    } finally {
      tree.delete();
    }
  } catch (e) {
    out.failures.push({ what: 'the c-warning syntax checks', why: why(e) });
  }
  return out;
}

/** The range of a function's first line: where findings about the whole function point. */
function firstLine(doc: PatchDocument, fn: PatchFunction): Range {
  const start = fn.range.start;
  return { start, end: { line: start.line, character: Math.max(start.character, doc.lines[start.line]?.length ?? 0) } };
}

/** An internal-error finding per failed stage of one function (both sides merged). */
function failureFindings(doc: PatchDocument, fn: PatchFunction, pre: SideAnalysis | undefined, post: SideAnalysis | undefined): Finding[] {
  const merged = new Map<string, { f: StageFailure; sides: string[] }>();
  for (const [label, s] of [['pre', pre], ['post', post]] as const) {
    for (const f of s?.failures ?? []) {
      const k = `${f.what}\u0000${f.why}`;
      const m = merged.get(k) ?? { f, sides: [] };
      m.sides.push(label);
      merged.set(k, m);
    }
  }
  return [...merged.values()].map(({ f, sides }) => {
    const finding: Finding = {
      rule: 'patch-syntax', severity: 'warning', status: fn.postOrigin === 'present' ? 'present' : 'introduced', tier: 'static',
      message: `${INTERNAL_ERROR} in ${f.what} on ${fn.name || 'the code'} (${sides.join(' and ')} side); its findings here are missing: ${f.why}`,
      range: firstLine(doc, fn), function: fn.name,
    };
    if (fn.file) finding.file = fn.file;
    return finding;
  });
}

/** A note's range kept to its first line: a note on a whole block should not mark the whole block. */
function onOneLine(doc: PatchDocument, r: Range): Range {
  if (r.end.line === r.start.line && r.end.character >= r.start.character) return r;
  return { start: r.start, end: { line: r.start.line, character: Math.max(r.start.character, doc.lines[r.start.line]?.length ?? 0) } };
}

const NOTE_SEVERITY: Record<LowerNote['kind'], Severity> = { unmodeled: 'hint', unsupported: 'information', syntax: 'information' };

/** The lowering notes of one function as findings with statuses, at most MAX_NOTES_PER_FUNCTION and a summary. */
function noteFindings(doc: PatchDocument, fn: PatchFunction, pre: SideAnalysis | undefined, post: SideAnalysis | undefined, kinds: LineKinds): Finding[] {
  const all: { kind: LowerNote['kind']; f: Finding }[] = [];
  for (const kind of ['syntax', 'unsupported', 'unmodeled'] as const) {
    const only = (s: SideAnalysis | undefined): SideResult | undefined => s && { lines: s.lines, hits: s.notes.filter((n) => n.kind === kind).map((n) => n.hit) };
    for (const f of compareSides(fn, only(pre), only(post), kinds)) {
      all.push({ kind, f: { ...f, severity: NOTE_SEVERITY[kind], range: onOneLine(doc, f.range) } });
    }
  }
  all.sort((a, b) => a.f.range.start.line - b.f.range.start.line || a.f.range.start.character - b.f.range.start.character);
  if (all.length <= MAX_NOTES_PER_FUNCTION) return all.map((x) => x.f);
  const shown = all.slice(0, MAX_NOTES_PER_FUNCTION - 1);
  const rest = all.slice(MAX_NOTES_PER_FUNCTION - 1);
  const count = (k: LowerNote['kind']) => rest.filter((x) => x.kind === k).length;
  const parts = [['C syntax', count('syntax')], ['not run by the model', count('unsupported')], ['unknown to the model', count('unmodeled')]]
    .filter(([, n]) => n).map(([what, n]) => `${n} ${what}`);
  const first = rest[0]!.f;
  const summary: Finding = {
    rule: 'unmodeled', severity: 'information', status: first.status, tier: 'static',
    message: `${rest.length} more lowering notes in ${fn.name || 'the code'} are not listed (${parts.join(', ')}), the first on this line; the model may not run this function as written.`,
    range: first.range, function: fn.name,
  };
  if (fn.file) summary.file = fn.file;
  return [...shown.map((x) => x.f), summary];
}

/** A finding for the whole document when the C parser never loaded: nothing below could run. */
function parserMissing(doc: PatchDocument, functions: readonly PatchFunction[]): Finding[] {
  const fn = functions[0];
  if (!fn) return [];
  return [{
    rule: 'patch-syntax', severity: 'warning', status: 'introduced', tier: 'static',
    message: `${INTERNAL_ERROR} in the static tier: the C parser is not loaded, so no function was lowered or checked.`,
    range: firstLine(doc, fn),
  }];
}

/** The static tier: flow-sensitive checks on the pre and post bodies, with statuses from comparing them. */
export function runStaticRules(doc: PatchDocument, functions: PatchFunction[], rules: readonly StaticRule[] = STATIC_RULES, abi: Abi = 'lp64'): Finding[] {
  if (!parserReady()) return parserMissing(doc, functions);
  const kinds = lineKinds(doc);
  const findings: Finding[] = [];
  for (const fn of functions) {
    const usable = (s: FunctionSide | undefined, origin: string) => (s && origin !== 'none' ? s : undefined);
    const preSide = usable(fn.pre, fn.preOrigin);
    const postSide = usable(fn.post, fn.postOrigin);
    const pre = preSide ? analyseSide(preSide, fn.name, fn.preOrigin === 'fragment' || !preSide.whole, rules, abi) : undefined;
    const post = postSide ? analyseSide(postSide, fn.name, fn.postOrigin === 'fragment' || !postSide.whole, rules, abi) : undefined;
    appendAll(findings, compareSides(fn, pre, post, kinds));
    appendAll(findings, noteFindings(doc, fn, pre, post, kinds));
    appendAll(findings, failureFindings(doc, fn, pre, post));
  }
  return findings;
}
