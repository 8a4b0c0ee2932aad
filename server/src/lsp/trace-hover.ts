/**
 * Hover for a line inside a finding's race window: the verdict, at most MAX_STEPS steps of the
 * interleaving around the window (the victim's step before it, the interferer's steps, the
 * victim's step after it) with the state change each made, and a link that opens the trace view
 * at the window. Clients without command links (Neovim) get the `kpr run` command line instead.
 * Every piece of patch or model text is escaped (report/markdown.ts); the links are built from
 * the server's own ids only, and the VS Code client trusts exactly HOVER_COMMANDS.
 */
import { RULES, scenariosOf, type Finding, type Side, type TraceStep } from '../findings';
import { OPEN_MODEL, SHOW_TRACE, type HoverCommand, type ShowTraceArgs } from '../protocol';
import { commandUri, mdCell, mdCode, mdCodeCell, mdText } from '../report/markdown';
import { windowRange, windowStep } from './window-steps';
import { shownMessage } from '../report/finding-message';

/** Commands the hover may link to; the client enables only these in hover markdown. */

/** Most trace rows a hover shows: the whole trace is one click away. */
export const MAX_STEPS = 8;

/** Arguments of `kpr.showTrace`: the document, the scenario, the side and the 0-based step. */

export function commandLink(command: HoverCommand, args: unknown[]): string {
  return commandUri(command, args);
}

/** Lines the hover answers for: the window's lines, and the finding's own range. */
export function inWindow(f: Finding, line: number): boolean {
  if (!f.window) return false;
  const w = windowRange(f.window);
  return (w.start.line <= line && line <= w.end.line) || (f.range.start.line <= line && line <= f.range.end.line);
}

/** Where a step ran: the document line, or the model library file (a link where links work). */
function where(step: TraceStep, links: boolean): string {
  if (step.source === 'model' && step.modelFile !== undefined) {
    const line = step.modelLine ?? 0;
    const label = mdCell(`${step.modelFile}:${line + 1}`);
    return links ? `[${label}](${commandLink(OPEN_MODEL, [step.modelFile, line])})` : label;
  }
  return step.range ? `line ${step.range.start.line + 1}` : '';
}

/** The side of the run whose trace the finding shows: the pre side for what the patch fixed. */
export function sideOf(f: Finding): Side {
  return f.status === 'fixed' ? 'pre' : 'post';
}

/**
 * The steps a hover shows, as indexes (with -1 for an elision): the victim's step before the
 * window, the interferer's steps from the window on, and the victim's next step, at most `max`.
 * When the interferer takes more steps than fit, its first step (where it gets in) and the steps
 * that change state are kept before the others: a row without an effect says least about why the
 * window matters. The kept steps stay in trace order; every gap is marked once.
 */
export function stepsAround(f: Finding, max = MAX_STEPS): number[] {
  const trace = f.trace ?? [];
  if (trace.length <= max) return trace.map((_, i) => i);
  const at = windowStep(f);
  const victim = f.window?.thread;
  let before = at - 1;
  while (before >= 0 && trace[before]!.thread !== victim) before--;
  let next = at + 1;
  while (next < trace.length && trace[next]!.thread !== victim) next++;
  const room = max - (before >= 0 ? 1 : 0) - (next < trace.length ? 1 : 0);
  const inside = Array.from({ length: Math.min(next, trace.length) - at }, (_, k) => at + k);
  const changes = inside.filter((i) => i !== at && trace[i]!.effect !== '');
  const rest = inside.filter((i) => i !== at && trace[i]!.effect === '');
  const kept = [at, ...changes, ...rest].slice(0, Math.max(1, room));
  const chosen = [...(before >= 0 ? [before] : []), ...kept, ...(next < trace.length ? [next] : [])].sort((a, b) => a - b);
  const out: number[] = [];
  for (const i of chosen) {
    if (out.length > 0 && i > out[out.length - 1]! + 1) out.push(-1);
    out.push(i);
  }
  return out;
}

export function traceTable(trace: readonly TraceStep[], rows: readonly number[] = trace.map((_, i) => i), links = true): string {
  const body = rows.map((i) => {
    if (i < 0) return '| … | | | | |';
    const s = trace[i]!;
    return `| ${i + 1} | ${mdCell(s.thread)} | ${mdCodeCell(s.code)} | ${mdCell(s.effect)} | ${where(s, links)} |`;
  });
  return ['| # | thread | code | effect | where |', '|--:|---|---|---|---|', ...body].join('\n');
}

/** The verdict line of a finding: rule, status, scenarios, side and whether the search completed. */
export function verdictLine(f: Finding): string {
  const complete = f.complete === undefined ? '' : f.complete ? ', search complete' : ', search incomplete (bounds reached)';
  const scenarios = scenariosOf(f);
  const where = scenarios.length === 0 ? '' : ` in scenario${scenarios.length > 1 ? 's' : ''} ${scenarios.map((s) => mdCode(s)).join(', ')}`;
  return `**Race window** ${mdCode(f.rule)} — **${f.status}**${where} (${sideOf(f)} side${complete})`;
}

/**
 * Markdown for one finding whose window holds the hovered line. `full`: with the steps around the
 * window; otherwise the verdict and the link only (later findings on a crowded line).
 */
export function raceWindowMarkdown(f: Finding, uri: string, links = true, full = true): string {
  const w = f.window!;
  const parts: string[] = [verdictLine(f)];
  parts.push(`${mdText(shownMessage(f))}${f.reason ? ` (invalidation fails: ${mdText(f.reason)})` : ''}`);
  if (full) {
    const interferer = w.interferer.source === 'model' && w.interferer.modelFile ? ` (model: ${mdCode(w.interferer.modelFile)})` : '';
    parts.push(`${mdCode(w.thread)} is between two steps when ${mdCode(w.interferer.thread)} gets in through ${mdCode(w.interferer.function)}${interferer}.`);
    const trace = f.trace ?? [];
    if (trace.length > 0) parts.push(traceTable(trace, stepsAround(f), links));
  }
  if (f.scenario) {
    const step = windowStep(f);
    const total = f.trace?.length ?? 0;
    if (links) {
      const args: ShowTraceArgs = [uri, f.scenario, sideOf(f), step];
      parts.push(`[Open the trace view at the window (step ${step + 1}${total ? ` of ${total}` : ''})](${commandLink(SHOW_TRACE, args)})`);
    } else {
      parts.push(`Whole trace: ${mdCode(`kpr run ${f.scenario} --patch FILE --side ${sideOf(f)}`)} (window at step ${step + 1}${total ? ` of ${total}` : ''})`);
    }
  }
  if (full) parts.push(`*Rule:* ${mdText(RULES[f.rule].doc)}`);
  return parts.join('\n\n');
}

/** Sections for every finding whose race window holds `line`: the first in full, the rest short. */
export function raceWindowHover(findings: readonly Finding[], line: number, uri: string, links = true): string[] {
  return findings.filter((f) => inWindow(f, line)).map((f, i) => raceWindowMarkdown(f, uri, links, i === 0));
}
