/**
 * The finding of a scenario left unjudged because it reaches a changed function whose hunks could
 * not be placed (DESIGN sections 4 and 8): it names the function, its hunks' `@@` lines and why,
 * and sits on the first of those lines. Rule `unmodeled` (the model tier's note that it did not
 * cover something), status `unjudged`, severity information: it claims nothing about the code.
 */
import type { Finding } from '../findings';
import type { PatchDocument, Range } from '../intake/document';
import type { MessagePlan, UnjudgedScenario } from './plan';

function hunkLines(doc: PatchDocument, u: UnjudgedScenario): number[] {
  return u.fn.hunks.map(({ file, hunk }) => doc.files[file]?.hunks[hunk]?.line).filter((l): l is number => l !== undefined);
}

/** The hunks' own `@@` ranges: they name each hunk in any view of the document, decoded or not. */
function hunkHeads(doc: PatchDocument, u: UnjudgedScenario): string[] {
  return u.fn.hunks.map(({ file, hunk }) => doc.files[file]?.hunks[hunk])
    .filter((h) => h !== undefined)
    .map((h) => `\`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\``);
}

/**
 * Why the scenario is not judged, in words (also the JSON `scenarios[].why`). The hunks are named
 * by their `@@` ranges, not by document lines: the engine's view of a decoded mail part has other
 * lines than the document, and the finding already sits on the first hunk's line.
 */
export function unjudgedWhy(doc: PatchDocument, plan: MessagePlan, u: UnjudgedScenario): string {
  const heads = hunkHeads(doc, u);
  const where = heads.length === 1 ? `the hunk ${heads[0]}` : `the hunks ${heads.join(', ')}`;
  const sides = u.sides.length === 2 ? 'either side' : `the ${u.sides[0]} side`;
  return `its threads reach ${u.fn.name}(), which ${where} change${heads.length === 1 ? 's' : ''}, but the hunks could not be placed on the ${plan.era} library's body of it, so ${sides} would run the library's code instead of the patch's`;
}

export function unjudgedFinding(doc: PatchDocument, plan: MessagePlan, u: UnjudgedScenario): Finding {
  const first = hunkLines(doc, u)[0] ?? u.fn.range.start.line;
  const range: Range = { start: { line: first, character: 0 }, end: { line: first, character: doc.lines[first]?.length ?? 0 } };
  const finding: Finding = {
    rule: 'unmodeled', severity: 'information', status: 'unjudged', tier: 'model',
    message: `${u.scenario.id}: not judged: ${unjudgedWhy(doc, plan, u)}.`,
    range, function: u.fn.name, scenario: u.scenario.id, scenarios: [u.scenario.id], complete: false,
  };
  if (u.fn.file) finding.file = u.fn.file;
  return finding;
}
