/**
 * Model findings of an earlier text, carried over to the current one while the model tier runs
 * again (DESIGN section 9: they stay, marked stale, until new ones replace them). Lines are mapped
 * by the common head and tail of the two texts: a finding that lies wholly in the unchanged head
 * keeps its lines, one in the unchanged tail moves by the change in length, and one that touches
 * the edited lines is dropped, since its lines no longer say what it meant. Its related lines,
 * window and trace move the same way; a trace step in edited lines loses its range.
 */
import type { Finding, TraceStep } from '../findings';
import type { Range } from '../intake/document';

export const STALE_NOTE = ' (stale: found on an earlier text; the model is running again)';

interface LineMap {
  /** The new line of an old one, or undefined when the old line was edited. */
  (line: number): number | undefined;
}

export function lineMap(oldText: string, newText: string): LineMap {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const delta = b.length - a.length;
  return (line) => (line < head ? line : line >= a.length - tail ? line + delta : undefined);
}

function moveRange(r: Range, map: LineMap): Range | undefined {
  const s = map(r.start.line);
  const e = map(r.end.line);
  if (s === undefined || e === undefined) return undefined;
  return { start: { line: s, character: r.start.character }, end: { line: e, character: r.end.character } };
}

/** The findings moved to the new text and marked stale; those on edited lines are left out. */
export function staleFindings(findings: readonly Finding[], oldText: string, newText: string): Finding[] {
  const map = lineMap(oldText, newText);
  const out: Finding[] = [];
  for (const f of findings) {
    const range = moveRange(f.range, map);
    if (!range) continue;
    const moved: Finding = { ...f, range, message: f.message.endsWith(STALE_NOTE) ? f.message : f.message + STALE_NOTE };
    if (f.related) moved.related = f.related.flatMap((r) => { const m = moveRange(r.range, map); return m ? [{ ...r, range: m }] : []; });
    if (f.window) {
      const from = moveRange(f.window.from, map);
      const to = moveRange(f.window.to, map);
      if (from && to) {
        const ir = f.window.interferer.range && moveRange(f.window.interferer.range, map);
        const interferer = { ...f.window.interferer };
        if (ir) interferer.range = ir;
        else delete interferer.range;
        moved.window = { ...f.window, from, to, interferer };
      } else delete moved.window;
    }
    if (f.trace) {
      moved.trace = f.trace.map((s): TraceStep => {
        if (!s.range) return s;
        const r = moveRange(s.range, map);
        const step = { ...s };
        if (r) step.range = r;
        else delete step.range;
        return step;
      });
    }
    out.push(moved);
  }
  return out;
}
