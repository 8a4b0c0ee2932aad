/**
 * Hover for a line inside a finding's race window: the rule (its text and the kernel rule behind
 * it, which is where the rule's documentation lives, see diagnostics.ts), the verdict, and the
 * interleaving as a compact table, with a link that opens the trace view at the interferer's first
 * step. Links are `command:` URIs; the VS Code client marks exactly these commands as trusted.
 */
import { RULES, type Finding, type TraceStep } from '../findings';
import { windowRange } from './diagnostics';

/** Commands the hover may link to; the client enables only these in hover markdown. */
export const HOVER_COMMANDS = ['kpr.showTrace', 'kpr.openModel'] as const;

/** Arguments of `kpr.showTrace`: the document, the scenario, the side and the 0-based step. */
export type ShowTraceArgs = [uri: string, scenario: string, side: 'pre' | 'post', step: number];

export function commandLink(command: (typeof HOVER_COMMANDS)[number], args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Lines the hover answers for: the window's lines, and the finding's own range. */
export function inWindow(f: Finding, line: number): boolean {
  if (!f.window) return false;
  const w = windowRange(f.window);
  return (w.start.line <= line && line <= w.end.line) || (f.range.start.line <= line && line <= f.range.end.line);
}

/** Text safe inside a markdown table cell: no pipes, no line breaks, no stray emphasis. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_[\]<>])/g, '\\$1');
}

/** Code in a cell: inline code cannot hold a backtick run of its own length, so use a longer fence. */
function codeCell(code: string): string {
  const text = code.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
  if (text === '') return '';
  const fence = text.includes('`') ? '``' : '`';
  return `${fence} ${text} ${fence}`;
}

/** Where a step ran: the document line, or a link to the model library file. */
function where(step: TraceStep): string {
  if (step.source === 'model' && step.modelFile !== undefined) {
    const line = step.modelLine ?? 0;
    return `[${cell(step.modelFile)}:${line + 1}](${commandLink('kpr.openModel', [step.modelFile, line])})`;
  }
  return step.range ? `line ${step.range.start.line + 1}` : '';
}

/** The side of the run whose trace the finding shows: the pre side for what the patch fixed. */
export function sideOf(f: Finding): 'pre' | 'post' {
  return f.status === 'fixed' ? 'pre' : 'post';
}

export function traceTable(trace: readonly TraceStep[]): string {
  const rows = trace.map((s, i) => `| ${i + 1} | ${cell(s.thread)} | ${codeCell(s.code)} | ${cell(s.effect)} | ${where(s)} |`);
  return ['| # | thread | code | effect | where |', '|--:|---|---|---|---|', ...rows].join('\n');
}

/** Markdown for one finding whose window holds the hovered line. */
export function raceWindowMarkdown(f: Finding, uri: string): string {
  const w = f.window!;
  const rule = RULES[f.rule];
  const parts: string[] = [];
  const complete = f.complete === undefined ? '' : f.complete ? ', search complete' : ', search incomplete (bounds reached)';
  const scenario = f.scenario ? ` in scenario \`${f.scenario}\`` : '';
  parts.push(`**Race window** \`${f.rule}\` — **${f.status}**${scenario} (${sideOf(f)} side${complete})`);
  parts.push(`${cell(f.message)}${f.reason ? ` (invalidation fails: ${f.reason})` : ''}`);
  const interferer = w.interferer.source === 'model' && w.interferer.modelFile ? ` (model: ${w.interferer.modelFile})` : '';
  parts.push(`\`${w.thread}\` is between two steps when \`${w.interferer.thread}\` gets in through \`${w.interferer.function}\`${interferer}.`);
  const trace = f.trace ?? [];
  if (trace.length > 0) parts.push(traceTable(trace));
  if (f.scenario) {
    const first = trace.findIndex((s) => s.thread === w.interferer.thread);
    const args: ShowTraceArgs = [uri, f.scenario, sideOf(f), Math.max(0, first)];
    parts.push(`[Open the trace view at step ${args[3] + 1}](${commandLink('kpr.showTrace', args)})`);
  }
  parts.push(`*Rule:* ${rule.doc}  \n*Kernel rule:* ${rule.kernelRule}`);
  return parts.join('\n\n');
}

/** Sections for every finding whose race window holds `line`. */
export function raceWindowHover(findings: readonly Finding[], line: number, uri: string): string[] {
  return findings.filter((f) => inWindow(f, line)).map((f) => raceWindowMarkdown(f, uri));
}
