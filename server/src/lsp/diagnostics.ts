/** Converts findings to LSP diagnostics: code = rule id, source 'kpr', related lines attached. */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../findings';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = (f.related ?? []).map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  if (f.window) {
    const w = f.window;
    related.push({ location: { uri, range: w.from }, message: `race window opens here (${w.thread})` });
    related.push({ location: { uri, range: w.to }, message: `race window closes here (${w.thread})` });
    if (w.interferer.range) related.push({ location: { uri, range: w.interferer.range }, message: `${w.interferer.thread} gets in: ${w.interferer.function}` });
  }
  // A problem the patch fixes is good news: show it, but never as an error squiggle.
  const severity = f.status === 'fixed' ? DiagnosticSeverity.Information : SEVERITY[f.severity];
  const diagnostic: Diagnostic = {
    range: f.range,
    severity,
    code: f.rule,
    source: 'kpr',
    message: `${f.message} [${f.status}${f.scenario ? `, ${f.scenario}` : ''}]`,
  };
  if (f.status === 'fixed') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (related.length > 0) diagnostic.relatedInformation = related;
  diagnostic.data = { status: f.status, tier: f.tier };
  return diagnostic;
}

export function toDiagnostics(findings: readonly Finding[], uri: string): Diagnostic[] {
  return findings.map((f) => toDiagnostic(f, uri));
}
