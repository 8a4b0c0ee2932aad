/**
 * The outline of a document as hierarchical DocumentSymbols: messages → files → hunks →
 * functions. A bare patch (no mail) has its files at the top level.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { PatchDocument, Range, Position, Hunk, FileDiff } from '../intake/document';
import type { PatchFunction } from '../functions/patch-function';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The part of `inner` inside `outer`, or `outer`'s start when they do not meet; keeps symbols nested. */
function clamp(inner: Range, outer: Range): Range {
  const start = before(inner.start, outer.start) ? outer.start : inner.start;
  const end = before(outer.end, inner.end) ? outer.end : inner.end;
  return before(end, start) ? { start: outer.start, end: outer.start } : { start, end };
}

/** A range's first line, as the symbol's selection range. */
function headLine(doc: PatchDocument, range: Range): Range {
  const line = range.start.line;
  const length = doc.lines[line]?.length ?? 0;
  return clamp({ start: { line, character: 0 }, end: { line, character: length } }, range);
}

function symbol(name: string, kind: SymbolKind, range: Range, selection: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const s: DocumentSymbol = { name: name.trim() || '(unnamed)', kind, range, selectionRange: clamp(selection, range) };
  if (detail) s.detail = detail;
  if (children && children.length > 0) s.children = children;
  return s;
}

export function hunkHeader(h: Hunk): string {
  return `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
}

export function fileName(f: FileDiff): string {
  if (f.newPath && f.oldPath && f.newPath !== f.oldPath) return `${f.oldPath} → ${f.newPath}`;
  return f.newPath ?? f.oldPath ?? '(unnamed file)';
}

function functionSymbol(doc: PatchDocument, fn: PatchFunction, within: Range): DocumentSymbol {
  const range = clamp(fn.range, within);
  const origin = `pre: ${fn.preOrigin}, post: ${fn.postOrigin}${fn.era ? `, ${fn.era}` : ''}`;
  return symbol(fn.name, SymbolKind.Function, range, headLine(doc, range), origin);
}

export function documentSymbols(doc: PatchDocument, functions: readonly PatchFunction[]): DocumentSymbol[] {
  const fileSymbols = doc.files.map((file, fi) => {
    const hunks = file.hunks.map((hunk, hi) => {
      const fns = functions.filter((fn) => fn.hunks.some((h) => h.file === fi && h.hunk === hi)).map((fn) => functionSymbol(doc, fn, hunk.range));
      return symbol(hunkHeader(hunk), SymbolKind.Namespace, hunk.range, headLine(doc, hunk.range), hunk.section.trim() || undefined, fns);
    });
    const change = file.oldPath === null ? 'new file' : file.newPath === null ? 'deleted file' : file.binary ? 'binary' : undefined;
    return { message: file.message, symbol: symbol(fileName(file), SymbolKind.File, file.range, headLine(doc, file.range), change, hunks) };
  });
  // Functions pasted into a mail (not a diff) have no hunk: they sit beside the files.
  const loose = functions
    .filter((fn) => fn.hunks.length === 0)
    .map((fn) => ({ message: fn.message, symbol: symbol(fn.name, SymbolKind.Function, fn.range, headLine(doc, fn.range), `pre: ${fn.preOrigin}, post: ${fn.postOrigin}`) }));
  const items = [...fileSymbols, ...loose];

  const top: DocumentSymbol[] = items.filter((i) => i.message < 0 || i.message >= doc.messages.length).map((i) => i.symbol);
  const messages = doc.messages.map((m, mi) => {
    const children = items.filter((i) => i.message === mi).map((i) => i.symbol);
    return symbol(m.subject ?? '(no subject)', SymbolKind.Module, m.range, headLine(doc, m.range), [m.from, m.date].filter(Boolean).join(', ') || undefined, children);
  });
  return [...messages, ...top].sort((a, b) => a.range.start.line - b.range.start.line);
}
