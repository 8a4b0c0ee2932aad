/**
 * What the trace view remembers across a window reload. media/trace.js keeps
 * `{ run, uri, cursor, active }` with `vscode.setState`; VS Code hands that value back to the
 * panel serializer after a reload. It comes from storage written by an earlier version of the
 * page, so it is checked here (pure, no VS Code) before the panel trusts it.
 */
import type { ScenarioRun, Side, SideRun } from '../../../server/src/protocol';


/** The webview's type: the key of the panel serializer and of the `onWebviewPanel:` activation event in package.json. */
export const TRACE_VIEW_TYPE = 'kpr.trace';

/** The run a panel shows, the document it came from, and where the page's cursor is. */
export interface Shown {
  run: ScenarioRun;
  uri: string;
  side: Side;
  step: number;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function isSide(v: unknown): v is SideRun {
  const s = record(v);
  return !!s && Array.isArray(s.steps) && Array.isArray(s.violations);
}

/** A run the page can render: a scenario id, its threads, and at least one side with steps. */
function isRun(v: unknown): v is ScenarioRun {
  const r = record(v);
  if (!r || typeof r.scenario !== 'string' || !Array.isArray(r.threads)) return false;
  const sides = [r.pre, r.post].filter((s) => s !== undefined);
  return sides.length > 0 && sides.every(isSide);
}

/**
 * The panel's `Shown` from the page's saved state, or undefined when the state cannot be used
 * (missing, from an older page without the document uri, or malformed). The side is the one the
 * user last stepped; the step is clamped to that side's steps.
 */
export function restoredShown(state: unknown): Shown | undefined {
  const s = record(state);
  if (!s || !isRun(s.run) || typeof s.uri !== 'string' || s.uri === '') return undefined;
  const run = s.run;
  const wanted: Side = s.active === 'pre' || s.active === 'post' ? s.active : 'post';
  const side: Side = run[wanted] ? wanted : wanted === 'post' ? 'pre' : 'post';
  const cursor = record(s.cursor)?.[side];
  const last = Math.max(0, run[side]!.steps.length - 1);
  const step = typeof cursor === 'number' && Number.isInteger(cursor) ? Math.min(Math.max(0, cursor), last) : 0;
  return { run, uri: s.uri, side, step };
}
