/**
 * States a function that a later layer writes whole in a `.c` as a diff against the era before
 * (server/src/model/library/README.md, "Layers written as diffs"): what to run after writing a
 * release's version of an earlier function whole, or to restate a diff an earlier layer's edit
 * broke (write it whole again first).
 *
 *   node --import tsx scripts/layer-diff.ts LAYER FUNCTION [FROM]
 *
 * FROM is the earlier function it derives from, when the release renamed it (2.6.23's
 * truncate_inode_pages_range FROM truncate_inode_pages). The function and the comment right
 * above it leave `<layer>/<file>.c`; the comment becomes the diff's prose, the hunks (three lines
 * of context, each naming the function after its @@) go to the end of `<layer>/<file>.c.patch`.
 * A `.c` left with no function goes, its header comment becoming the diff file's first prose.
 * The library is then composed again: unless it loads with no error and the era runs exactly the
 * text it ran before, every file is put back and the script fails.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initAnalysis, useEngineAssets } from '../server/src/analysis';
import { parseC } from '../server/src/c/parser';
import { readEngineAssets } from '../server/src/engine-assets';
import { eras, installLibrary, layerFunctions, libraryErrors, libraryFunctions } from '../server/src/model/library/index';

const LIBRARY = join(__dirname, '..', 'server', 'src', 'model', 'library');

/** A unified diff of two line lists: the hunks' lines (`@@` headers with `trailer`), `context` lines around each change. */
export function unifiedDiff(a: readonly string[], b: readonly string[], trailer: string, context = 3): string[] {
  // Longest common subsequence by dynamic programming: functions are a few hundred lines at most.
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i]!, ai: i++, bi: j++ });
    else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ kind: '+', text: b[j]!, ai: i, bi: j++ });
    else ops.push({ kind: '-', text: a[i]!, ai: i++, bi: j });
  }
  const out: string[] = [];
  let k = 0;
  while (k < ops.length) {
    const first = ops.findIndex((o, x) => x >= k && o.kind !== ' ');
    if (first < 0) break;
    let end = first;
    // Extend over changes whose context would touch: a gap of up to 2 * context unchanged lines.
    for (let x = first; x < ops.length; x++) {
      if (ops[x]!.kind !== ' ') end = x;
      else if (x - end > 2 * context) break;
    }
    const from = Math.max(k, first - context);
    const to = Math.min(ops.length - 1, end + context);
    const span = ops.slice(from, to + 1);
    const oldCount = span.filter((o) => o.kind !== '+').length;
    const newCount = span.filter((o) => o.kind !== '-').length;
    const oldStart = oldCount === 0 ? span[0]!.ai : span[0]!.ai + 1;
    const newStart = newCount === 0 ? span[0]!.bi : span[0]!.bi + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@ ${trailer}`);
    for (const o of span) out.push(`${o.kind}${o.text}`);
    k = to + 1;
  }
  return out;
}

/** A C comment's text as prose lines: markers gone, blank first and last lines dropped. */
function prose(comment: readonly string[]): string[] {
  const lines = comment.map((l) => l.replace(/^\s*\/\*+\s?/, '').replace(/\s*\*+\/\s*$/, '').replace(/^\s*\*\s?/, '').replace(/^\s*\/\/\s?/, ''));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

async function main(): Promise<number> {
  const [layer, name, fromArg] = process.argv.slice(2);
  if (!layer || !name) { process.stderr.write('usage: node --import tsx scripts/layer-diff.ts LAYER FUNCTION [FROM]\n'); return 2; }
  const from = fromArg ?? name;
  useEngineAssets(readEngineAssets());
  await initAnalysis();
  const all = eras();
  const before = all[all.indexOf(layer) - 1];
  const fn = layerFunctions(layer).get(name);
  const was = before === undefined ? undefined : libraryFunctions(before).get(from);
  if (!fn || fn.file.endsWith('.patch') || !was) {
    process.stderr.write(`${layer} does not write ${name}() whole in a .c, or the ${before ?? 'earlier'} library has no ${from}()\n`);
    return 2;
  }
  const expected = libraryFunctions(layer).get(name)!.text;
  const oldLines = was.text.replace(/\n$/, '').split('\n');
  const trailer = oldLines.find((l) => new RegExp(`\\b${from}\\s*\\(`).test(l))!.trim();
  const hunks = unifiedDiff(oldLines, fn.text.replace(/\n$/, '').split('\n'), trailer);

  const cPath = join(LIBRARY, fn.file);
  const patchPath = `${cPath}.patch`;
  const cText = readFileSync(cPath, 'utf8');
  const patchText = existsSync(patchPath) ? readFileSync(patchPath, 'utf8') : undefined;
  const lines = cText.split('\n');
  const first = fn.origin[0]!.line;
  let top = first;
  if (lines[top - 1]?.trim().endsWith('*/')) { top--; while (top > 0 && !lines[top]!.trim().startsWith('/*')) top--; }
  let end = fn.origin[fn.origin.length - 1]!.line + 1;
  if (lines[end]?.trim() === '') end++;
  const rest = [...lines.slice(0, top), ...lines.slice(end)];
  const tree = parseC(rest.join('\n'));
  const left = tree.rootNode.children.some((c) => c?.type === 'function_definition');
  tree.delete();

  const cName = fn.file.split('/')[1]!;
  const kernelPath = ['memory.c', 'filemap.c', 'truncate.c'].includes(cName) ? `mm/${cName}` : cName;
  let patch = patchText ?? `${kernelPath} in ${layer}: what this release changed in functions an earlier release already had, as diffs\n` +
    `against the ${before} library (see the library README, "Layers written as diffs"). Each hunk's line\n` +
    `numbers count lines of the function it names, as the earlier era has it.\n`;
  if (!left && patchText === undefined) {
    const header = prose(rest.join('\n').trim().split('\n'));
    if (header.length > 0) patch = `${header.join('\n')}\n\n${patch}`;
  }
  const said = prose(lines.slice(top, first)).join('\n');
  const head = from === name ? name : `${name}, from ${from}`;
  patch += `\n${said.startsWith(name) ? said : `${head}:${said ? ` ${said}` : ''}`}\n\n--- a/${kernelPath}\n+++ b/${kernelPath}\n${hunks.join('\n')}\n`;

  writeFileSync(patchPath, patch);
  if (left) writeFileSync(cPath, rest.join('\n')); else unlinkSync(cPath);
  installLibrary(readEngineAssets().library);
  const errors = libraryErrors();
  const now = libraryFunctions(layer).get(name);
  if (errors.length > 0 || now?.text !== expected) {
    writeFileSync(cPath, cText);
    if (patchText === undefined) unlinkSync(patchPath); else writeFileSync(patchPath, patchText);
    process.stderr.write(`the diff did not compose to the same text; files put back\n${errors.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`${layer} ${name}(): ${hunks.filter((l) => l.startsWith('@@')).length} hunks in ${fn.file}.patch${left ? '' : `, ${fn.file} removed`}\n`);
  return 0;
}

if (require.main === module) void main().then((code) => { process.exitCode = code; });
