/**
 * The era libraries: kernel C written by this project (see README.md beside this file), handed
 * in as text (`installLibrary`): the entry points read the layer folders (engine-assets.ts, from
 * beside this module when run from sources, from server/dist/library/ where the build copies them
 * beside the bundle), so the library never touches the disk itself.
 *
 * Eras are layers (DESIGN section 5): the oldest folder is the base, and each later release's
 * folder holds only the functions that changed in it, plus `layer.json` naming the functions the
 * release no longer has. A layer writes a function whole in a `.c` file, or states its change as
 * a diff against the era before it (`<name>.c.patch`, see `layer-diff.ts`). An era's library is
 * every layer up to it, later layers winning by function name; each line of a function keeps the
 * layer file and line it comes from (`2.5.70/memory.c` running in 2.6.20, the `+` line of a
 * 2.6.18 diff), which is what traces, hovers and Open Model Source show.
 */
import { parseC } from '../../c/parser';
import { applyFunctionDiff, readLayerDiff, type LineSource } from './layer-diff';
import { libraryHash, type LibrarySpans, type Span } from './spans';

export interface LibraryFile {
  /** `<layer>/<name>.c`, the name the model's traces and the LSP's virtual documents use. */
  file: string;
  text: string;
}

export interface LibraryFunction {
  /** The file of the layer that wrote this version: its `.c` file, or the `.c.patch` of a layer that changed it by a diff. */
  file: string;
  /** The whole definition, from its first line (return type) to its closing brace. */
  text: string;
  /**
   * Per line of `text` (without its final newline): the layer file and 0-based line it comes
   * from. One file for a function written whole; for one composed by diffs, the unchanged lines
   * keep the earlier layers' places and the added ones are lines of the `.c.patch`.
   */
  origin: LineSource[];
}

/** What a layer's `layer.json` says about its release. */
export interface LayerInfo {
  release: string;
  /** The release date (YYYY-MM-DD), for era choice by a message's date. */
  date: string;
  /** Functions of earlier layers that this release no longer has. */
  removes: string[];
  /** The facts of the mm that this release changed (later layers keep them until they change them). */
  traits: Partial<EraTraits>;
}

/**
 * Facts of an era's mm that the model's primitives follow where the library's C does not show
 * them: declared in `layer.json` by the layer whose release changed them.
 */
export interface EraTraits {
  /** The `address_space` list a shared mapping's vmas are on: `i_mmap_shared` (2.5) or `i_mmap` (2.6). */
  sharedVmaList: string;
  /** Whether unmapping a range bumps `mapping->truncate_count` (2.6 on). */
  unmapBumpsTruncateCount: boolean;
}

/** For an era without a library: what the newest layers say, as the model did before layers declared it. */
const DEFAULT_TRAITS: EraTraits = { sharedVmaList: 'i_mmap', unmapBumpsTruncateCount: true };

/** One layer folder as read from disk: its name (the release), its C files and its `layer.json`. */
export interface LayerSource {
  layer: string;
  /** The folder's `.c` and `.c.patch` files: `name` is the file name alone (`memory.c`, `truncate.c.patch`). */
  files: { name: string; text: string }[];
  /** The text of the folder's `layer.json`, when it has one. */
  info?: string;
}

/** A folder whose name is a release number is a layer; anything else beside them is not. */
const ERA = /^\d+\.\d+\.\d+(\.\d+)?$/;

/** Orders release numbers (2.6.18 < 2.6.18.1 < 2.6.20). */
export function compareEras(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The installed layers by name: empty until `installLibrary`, which entry points call at start. */
let installed = new Map<string, LayerSource>();
let erasCache: string[] | undefined;
const layerFileCache = new Map<string, LibraryFile[]>();
const layerDiffCache = new Map<string, LibraryFile[]>();
/** Per layer, what its files could not give (a diff that does not apply): filled as layers are composed. */
const layerErrors = new Map<string, string[]>();
/** Per layer, the functions whose diff did not apply: left out of its era, never run as the earlier text. */
const layerFailed = new Map<string, Set<string>>();
const layerInfoCache = new Map<string, LayerInfo>();
const layerFunctionCache = new Map<string, Map<string, LibraryFunction>>();
const functionCache = new Map<string, Map<string, LibraryFunction>>();
const traitsCache = new Map<string, EraTraits>();
/** The build's spans of the installed library (spans.ts), when they were computed on these layers. */
let knownSpans: LibrarySpans | undefined;
/** What this process found by parsing, in the same form (what the build writes). */
let foundSpans: LibrarySpans = { hash: '', files: {}, composed: {} };
/** How many library texts were parsed to find their definitions (for tests: none with the build's spans). */
let parsedTexts = 0;

/**
 * Hands the library its layers (every folder named by a release; others are ignored), replacing
 * any installed before and what this module derived from them. Entry points call it once, at
 * start: what other modules derived (an era's lowered library) is not recomputed on a second call.
 */
export function installLibrary(layers: readonly LayerSource[], spans?: LibrarySpans): void {
  installed = new Map(layers.filter((l) => ERA.test(l.layer)).map((l) => [l.layer, l]));
  erasCache = undefined;
  const hash = libraryHash([...installed.values()]);
  knownSpans = spans?.hash === hash ? spans : undefined;
  foundSpans = { hash, files: {}, composed: {} };
  parsedTexts = 0;
  for (const cache of [layerFileCache, layerDiffCache, layerErrors, layerFailed, layerInfoCache, layerFunctionCache, functionCache, traitsCache]) cache.clear();
}

/** The hash of the installed layers (`libraryHash`): what the build's precomputed data is keyed by. */
export function installedLibraryHash(): string {
  return foundSpans.hash;
}

/** The eras that have a library (one layer each), oldest first. */
export function eras(): string[] {
  erasCache ??= [...installed.keys()].sort(compareEras);
  return erasCache.slice();
}

/** The layers an era's library is made of, oldest (the base) first; empty for an unknown era. */
export function layersOf(era: string): string[] {
  const all = eras();
  const i = all.indexOf(era);
  return i < 0 ? [] : all.slice(0, i + 1);
}

/** A layer's own release facts; a layer without `layer.json` removes nothing and has no date. */
export function layerInfo(layer: string): LayerInfo {
  let info = layerInfoCache.get(layer);
  if (!info) {
    info = { release: layer, date: '', removes: [], traits: {} };
    const text = installed.get(layer)?.info;
    if (text !== undefined) {
      const raw = JSON.parse(text) as Partial<LayerInfo>;
      info = { release: raw.release ?? layer, date: raw.date ?? '', removes: raw.removes ?? [], traits: raw.traits ?? {} };
    }
    layerInfoCache.set(layer, info);
  }
  return info;
}

/** An era's mm facts: each layer's `traits` over the ones before it, oldest first. */
export function eraTraits(era: string): EraTraits {
  const known = traitsCache.get(era);
  if (known) return known;
  const traits = layersOf(era).reduce<EraTraits>((t, l) => ({ ...t, ...layerInfo(l).traits }), DEFAULT_TRAITS);
  traitsCache.set(era, traits);
  return traits;
}

/** A layer's files whose name ends with `ending`, in file-name order, as `<layer>/<name>`. */
function filesEnding(layer: string, ending: string, cache: Map<string, LibraryFile[]>): LibraryFile[] {
  let files = cache.get(layer);
  if (!files) {
    const source = installed.get(layer);
    if (!source) return [];
    files = source.files.filter((f) => f.name.endsWith(ending)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ file: `${layer}/${f.name}`, text: f.text }));
    cache.set(layer, files);
  }
  return files;
}

/** The C files one layer writes, in file-name order; empty for an unknown layer. */
export function layerSource(layer: string): LibraryFile[] {
  return filesEnding(layer, '.c', layerFileCache);
}

/** The diffs one layer states against the era before it (`<name>.c.patch`), in file-name order. */
export function layerDiffs(layer: string): LibraryFile[] {
  return filesEnding(layer, '.c.patch', layerDiffCache);
}

/** Every C file of every layer an era's library is made of, oldest layer first. */
export function librarySource(era: string): LibraryFile[] {
  return layersOf(era).flatMap(layerSource);
}

/** One library file by its `<layer>/<name>.c` or `<layer>/<name>.c.patch` path (Open Model Source, trace links). */
export function libraryFile(path: string): LibraryFile | undefined {
  const layer = path.split('/')[0] ?? '';
  return layerSource(layer).find((f) => f.file === path) ?? layerDiffs(layer).find((f) => f.file === path);
}

/**
 * What the installed layers could not give, one message each (a diff that does not apply, a
 * function both written whole and patched in one layer): empty for a sound library. Composes
 * every era to find out. Needs `initParser()` to have completed.
 */
export function libraryErrors(): string[] {
  const out: string[] = [];
  for (const layer of eras()) {
    layerFunctions(layer);
    for (const e of layerErrors.get(layer) ?? []) out.push(e);
  }
  return out;
}

/**
 * The functions one layer writes (not the ones it inherits), by name: those its C files define
 * whole (a name defined twice keeps its first definition), and those its diffs change, composed
 * over the era before it (`layer-diff.ts`). A diff that does not apply leaves its function out
 * and is reported by `libraryErrors`. Needs `initParser()` to have completed.
 */
export function layerFunctions(layer: string): Map<string, LibraryFunction> {
  let fns = layerFunctionCache.get(layer);
  if (!fns) {
    fns = new Map();
    const errors: string[] = [];
    const failed = new Set<string>();
    for (const f of layerSource(layer)) {
      const lines = f.text.split('\n');
      for (const [name, first, last] of definitions(f)) {
        if (!name || fns.has(name)) continue;
        const text = lines.slice(first, last + 1).join('\n') + '\n';
        fns.set(name, { file: f.file, text, origin: lines.slice(first, last + 1).map((_, i) => ({ file: f.file, line: first + i })) });
      }
    }
    const diffs = layerDiffs(layer);
    if (diffs.length > 0) {
      const all = eras();
      const before = all[all.indexOf(layer) - 1];
      const earlier = before === undefined ? new Map<string, LibraryFunction>() : libraryFunctions(before);
      const removed = new Set(layerInfo(layer).removes);
      for (const d of diffs) {
        const read = readLayerDiff(d.file, d.text);
        for (const e of read.errors) errors.push(e);
        for (const { source, hunks } of read.changes) {
          const was = earlier.get(source);
          if (!was || removed.has(source)) { errors.push(`${d.file}: ${source}() is not in the ${before ?? 'earlier'} library to be changed`); continue; }
          const composed = applyFunctionDiff(d.file, source, was, hunks);
          if ('error' in composed) { errors.push(composed.error); failed.add(source); continue; }
          const name = composedName(d.file, source, composed.text);
          if (!name) { errors.push(`${d.file}: the diff of ${source}() leaves no function definition`); continue; }
          if (fns.has(name)) { errors.push(`${d.file}: ${name}() is written by ${fns.get(name)!.file} as well`); continue; }
          fns.set(name, { file: d.file, text: composed.text, origin: composed.origin });
        }
      }
    }
    layerErrors.set(layer, errors);
    layerFailed.set(layer, failed);
    layerFunctionCache.set(layer, fns);
  }
  return fns;
}

/**
 * Every function of an era's library, by name: the layers composed oldest first, each removing
 * what its release dropped and replacing what it rewrote. Needs `initParser()` to have completed.
 */
export function libraryFunctions(era: string): Map<string, LibraryFunction> {
  let fns = functionCache.get(era);
  if (!fns) {
    fns = new Map();
    for (const layer of layersOf(era)) {
      for (const name of layerInfo(layer).removes) fns.delete(name);
      const written = layerFunctions(layer);
      for (const name of layerFailed.get(layer) ?? []) fns.delete(name);
      for (const [name, fn] of written) fns.set(name, fn);
    }
    functionCache.set(era, fns);
  }
  return fns;
}

interface NodeLike {
  type: string;
  text: string;
  childForFieldName(name: string): NodeLike | null;
}

/** A `.c` file's function definitions in file order: the build's spans, else a parse. */
function definitions(f: LibraryFile): Span[] {
  const known = knownSpans?.files[f.file];
  if (known) return known;
  parsedTexts++;
  const tree = parseC(f.text);
  const out: Span[] = [];
  for (const node of tree.rootNode.children) {
    if (node?.type === 'function_definition') out.push([definitionName(node) ?? '', node.startPosition.row, node.endPosition.row]);
  }
  tree.delete();
  foundSpans.files[f.file] = out;
  return out;
}

/** The name the function a diff composed defines (undefined: not one function definition). */
function composedName(diff: string, source: string, text: string): string | undefined {
  const key = `${diff}|${source}`;
  const known = knownSpans?.composed[key];
  if (known !== undefined) return known || undefined;
  parsedTexts++;
  const tree = parseC(text);
  const defs = tree.rootNode.children.filter((n) => n?.type === 'function_definition');
  const name = defs.length === 1 ? definitionName(defs[0]!) : undefined;
  tree.delete();
  foundSpans.composed[key] = name ?? '';
  return name;
}

/**
 * The spans of the installed library (spans.ts), found by parsing every layer: what the build
 * writes beside the bundled library. Needs `initParser()` to have completed.
 */
export function librarySpans(): LibrarySpans {
  const keep = knownSpans;
  knownSpans = undefined;
  for (const cache of [layerErrors, layerFailed, layerFunctionCache, functionCache]) cache.clear();
  foundSpans = { hash: foundSpans.hash, files: {}, composed: {} };
  try {
    libraryErrors();
    return foundSpans;
  } finally {
    knownSpans = keep;
  }
}

/** How many library texts this process parsed to find definitions since `installLibrary`. */
export function libraryParses(): number {
  return parsedTexts;
}

/** The identifier a function_definition defines (through pointer declarators). */
function definitionName(node: NodeLike): string | undefined {
  let d = node.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const id = d?.childForFieldName('declarator');
  return id && id.type === 'identifier' ? id.text : undefined;
}
