/**
 * SARIF 2.1.0 output of `kpr check --format sarif`: the same findings as the JSON report, with
 * the rule catalog as tool.driver.rules so code-scanning services can show the rule texts.
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import type { Analysis } from '../analysis';
import { primaryRange, RULES, type Finding, type RuleId, type Severity } from '../findings';
import type { Range } from '../intake/document';
import { TOOL_NAME, TOOL_VERSION } from './version';
import { shownMessage, withNamedLine } from './finding-message';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A relative path stays relative (with forward slashes) so the log is portable; an absolute one becomes a file URI. */
function artifactUri(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split('\\').join('/');
}

/** SARIF regions are 1-based and endColumn points just past the last character. */
function region(range: Range): Record<string, number> {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function location(uri: string, range: Range, message?: string): Record<string, unknown> {
  const loc: Record<string, unknown> = { physicalLocation: { artifactLocation: { uri }, region: region(range) } };
  if (message !== undefined) loc.message = { text: message };
  return loc;
}

const ruleIds = Object.keys(RULES) as RuleId[];

function result(f: Finding, uri: string): Record<string, unknown> {
  const properties: Record<string, unknown> = { status: f.status, tier: f.tier };
  if (f.scenario !== undefined) properties.scenario = f.scenario;
  if (f.complete !== undefined) properties.complete = f.complete;
  if (f.reason !== undefined) properties.reason = f.reason;
  if (f.function !== undefined) properties.function = f.function;
  const out: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: sarifLevel(f.severity),
    message: { text: shownMessage(f) },
    locations: [location(uri, primaryRange(f))],
  };
  const related = (f.related ?? []).map((r) => location(uri, r.range, withNamedLine(r)));
  if (f.window) {
    const w = f.window;
    related.push(location(uri, w.from, `race window opens (${w.thread})`));
    related.push(location(uri, w.to, `race window closes (${w.thread})`));
    if (w.interferer.range) related.push(location(uri, w.interferer.range, `${w.interferer.thread} runs ${w.interferer.function} here`));
  }
  if (related.length > 0) out.relatedLocations = related.map((r, i) => ({ id: i, ...r }));
  out.properties = properties;
  return out;
}

export function sarifLog(analyses: readonly Analysis[]): Record<string, unknown> {
  const rules = ruleIds.map((id) => ({
    id,
    shortDescription: { text: RULES[id].doc },
    fullDescription: { text: RULES[id].kernelRule },
    defaultConfiguration: { level: sarifLevel(RULES[id].severity) },
  }));
  const results = analyses.flatMap((a) => {
    const uri = artifactUri(a.document.path);
    return a.findings.map((f) => result(f, uri));
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, informationUri: 'https://example.invalid/kernel-patch-reasoner', rules } },
        artifacts: analyses.map((a) => ({ location: { uri: artifactUri(a.document.path) } })),
        results,
      },
    ],
  };
}

export function formatSarif(analyses: readonly Analysis[]): string {
  return JSON.stringify(sarifLog(analyses), null, 2) + '\n';
}
