/**
 * The era libraries: kernel C written by this project (see README.md beside this file), handed
 * in as text (`installLibrary`): the entry points read the layer folders (engine-assets.ts, from
 * beside this module when run from sources, from server/dist/library/ where the build copies them
 * beside the bundle), so the library never touches the disk itself.
 *
 * Eras are layers (DESIGN section 5): the oldest folder is the base, and each later release's
 * folder holds only the functions that changed in it, plus `layer.json` naming the functions the
 * release no longer has. An era's library is every layer up to it, later layers winning by
 * function name; each function keeps the file of the layer that wrote it (`2.5.70/memory.c`
 * running in 2.6.20), which is what traces, hovers and Open Model Source show.
 */
import { parseC } from '../../c/parser';

export interface LibraryFile {
  /** `<layer>/<name>.c`, the name the model's traces and the LSP's virtual documents use. */
  file: string;
  text: string;
}

export interface LibraryFunction {
  /** The file of the layer that defines this version of the function. */
  file: string;
  /** The whole definition, from its first line (return type) to its closing brace. */
  text: string;
  /** 0-based line of `text`'s first line in `file`. */
  startLine: number;
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
  /** The folder's `.c` files: `name` is the file name alone (`memory.c`). */
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
const layerInfoCache = new Map<string, LayerInfo>();
const layerFunctionCache = new Map<string, Map<string, LibraryFunction>>();
const functionCache = new Map<string, Map<string, LibraryFunction>>();
const traitsCache = new Map<string, EraTraits>();

/**
 * Hands the library its layers (every folder named by a release; others are ignored), replacing
 * any installed before and what this module derived from them. Entry points call it once, at
 * start: what other modules derived (an era's lowered library) is not recomputed on a second call.
 */
export function installLibrary(layers: readonly LayerSource[]): void {
  installed = new Map(layers.filter((l) => ERA.test(l.layer)).map((l) => [l.layer, l]));
  erasCache = undefined;
  for (const cache of [layerFileCache, layerInfoCache, layerFunctionCache, functionCache, traitsCache]) cache.clear();
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

/** The C files one layer writes, in file-name order; empty for an unknown layer. */
export function layerSource(layer: string): LibraryFile[] {
  let files = layerFileCache.get(layer);
  if (!files) {
    const source = installed.get(layer);
    if (!source) return [];
    files = source.files.filter((f) => f.name.endsWith('.c')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ file: `${layer}/${f.name}`, text: f.text }));
    layerFileCache.set(layer, files);
  }
  return files;
}

/** Every C file of every layer an era's library is made of, oldest layer first. */
export function librarySource(era: string): LibraryFile[] {
  return layersOf(era).flatMap(layerSource);
}

/** One library file by its `<layer>/<name>.c` path (Open Model Source, trace links). */
export function libraryFile(path: string): LibraryFile | undefined {
  return layerSource(path.split('/')[0] ?? '').find((f) => f.file === path);
}

/**
 * The functions one layer defines (not the ones it inherits), by name. A name defined twice in a
 * layer keeps its first definition. Needs `initParser()` to have completed.
 */
export function layerFunctions(layer: string): Map<string, LibraryFunction> {
  let fns = layerFunctionCache.get(layer);
  if (!fns) {
    fns = new Map();
    for (const f of layerSource(layer)) {
      const tree = parseC(f.text);
      const lines = f.text.split('\n');
      for (const node of tree.rootNode.children) {
        if (!node || node.type !== 'function_definition') continue;
        const name = definitionName(node);
        if (!name || fns.has(name)) continue;
        const startLine = node.startPosition.row;
        const text = lines.slice(startLine, node.endPosition.row + 1).join('\n') + '\n';
        fns.set(name, { file: f.file, text, startLine });
      }
      tree.delete();
    }
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
      for (const [name, fn] of layerFunctions(layer)) fns.set(name, fn);
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

/** The identifier a function_definition defines (through pointer declarators). */
function definitionName(node: NodeLike): string | undefined {
  let d = node.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const id = d?.childForFieldName('declarator');
  return id && id.type === 'identifier' ? id.text : undefined;
}
