/**
 * Converts findings to LSP diagnostics: code = rule id, source 'kpr', related lines attached, and
 * a code description linking to the rule's page (`kpr-rule:/<id>.md`, served by the server with
 * the `kpr/ruleDoc` request and shown by the VS Code client as a virtual document: offline).
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver/node';
import { primaryRange, type Finding, type RaceWindow, type Severity, type TraceStep } from '../findings';
import { shownSeverity } from '../report/shown-severity';
import { modelUri, ruleHref } from '../protocol';
import { STALE_NOTE } from './stale';
import { interfererChanges, victimGap } from './window-steps';
import { shownMessage, withNamedLine } from '../report/finding-message';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = (f.related ?? []).map((r) => ({ location: { uri, range: r.range }, message: withNamedLine(r) }));
  if (f.window) {
    const w = f.window;
    // Where the victim actually was: its own steps around the interferer's, in the patch or in
    // the model library (asleep inside a library call), else the patch statements standing for them.
    const gap = victimGap(f);
    const trace = f.trace ?? [];
    const opens = (gap && stepLocation(trace[gap.a]!, uri)) ?? { uri, range: w.from };
    const closes = (gap && stepLocation(trace[gap.b]!, uri)) ?? { uri, range: w.to };
    const inside = (i: number | undefined) => (i !== undefined && trace[i]?.source === 'model' ? `, in ${trace[i]!.function}` : '');
    if (sameLocation(opens, closes)) {
      related.push({ location: opens, message: `race window opens and closes here (${w.thread}${inside(gap?.a)})` });
    } else {
      related.push({ location: opens, message: `race window opens here (${w.thread}${inside(gap?.a)})` });
      related.push({ location: closes, message: `race window closes here (${w.thread}${inside(gap?.b)})` });
    }
    const at = interfererLocation(w, uri);
    if (at) related.push({ location: at, message: `${w.interferer.thread} gets in: ${w.interferer.function}` });
    // What the interferer changed inside the window, at the line that changed it ("store: page 0:
    // data v2 here"): the places a reviewer checks, beyond where the window opens and closes.
    for (const step of interfererChanges(f)) {
      const loc = stepLocation(step, uri);
      if (loc) related.push({ location: loc, message: `${step.thread}: ${step.effect} here` });
    }
  }
  // The status decides how loud a finding is: what the patch fixes never drowns what it introduces.
  const severity = SEVERITY[shownSeverity(f)];
  const diagnostic: Diagnostic = {
    // One statement: the window's span may run over comments and removed lines (DESIGN section 9).
    range: primaryRange(f),
    severity,
    code: f.rule,
    codeDescription: { href: ruleHref(f.rule) },
    source: 'kpr',
    message: `${shownMessage(f)} [${f.status}${f.scenario ? `, ${f.scenario}` : ''}]`,
  };
  if (f.status === 'fixed') diagnostic.tags = [DiagnosticTag.Unnecessary];
  // Each place once: what two entries say of one place is said in one ("gets in: …; … here").
  const distinct: DiagnosticRelatedInformation[] = [];
  for (const r of related) {
    const same = distinct.find((q) => sameLocation(q.location, r.location));
    if (same) same.message = `${same.message}; ${r.message}`;
    else distinct.push({ ...r });
  }
  if (distinct.length > 0) diagnostic.relatedInformation = distinct;
  diagnostic.data = { status: f.status, tier: f.tier, ...(f.message.endsWith(STALE_NOTE) ? { stale: true } : {}) };
  return diagnostic;
}

/** Two places are one when they start at the same line and column of the same document. */
function sameLocation(p: { uri: string; range: Range }, q: { uri: string; range: Range }): boolean {
  return p.uri === q.uri && p.range.start.line === q.range.start.line && p.range.start.character === q.range.start.character;
}

/** Where a trace step's code is: its range in the patch, or its line in a `kpr-model:` document. */
function stepLocation(step: TraceStep, uri: string): { uri: string; range: Range } | undefined {
  if (step.source === 'model' && step.modelFile !== undefined) {
    const line = Math.max(0, step.modelLine ?? 0);
    return { uri: modelUri(step.modelFile), range: { start: { line, character: 0 }, end: { line, character: 0 } } };
  }
  return step.range ? { uri, range: step.range } : undefined;
}

/** The interfering line: in the patch, or in the model library (a `kpr-model:` document). */
function interfererLocation(w: RaceWindow, uri: string): { uri: string; range: Range } | undefined {
  const i = w.interferer;
  if (i.source === 'model' && i.modelFile !== undefined) {
    const line = Math.max(0, i.modelLine ?? 0);
    return { uri: modelUri(i.modelFile), range: { start: { line, character: 0 }, end: { line, character: 0 } } };
  }
  return i.range ? { uri, range: i.range } : undefined;
}

export function toDiagnostics(findings: readonly Finding[], uri: string): Diagnostic[] {
  return findings.map((f) => toDiagnostic(f, uri));
}
