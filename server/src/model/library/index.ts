/**
 * The era libraries: kernel C written by this project (see README.md beside this file), read
 * from disk at run time. From TypeScript sources the .c files lie beside this module; in the
 * esbuild bundle (server/dist/kpr.js) the build copies them to server/dist/library/<era>/.
 *
 * Also the choice of era for a patch: the library whose text best matches the patch's
 * pre-image lines (DESIGN section 4).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseC } from '../../c/parser';

export interface LibraryFile {
  /** `<era>/<name>.c`, the name the model's traces and the LSP's virtual documents use. */
  file: string;
  text: string;
}

export interface LibraryFunction {
  file: string;
  /** The whole definition, from its first line (return type) to its closing brace. */
  text: string;
  /** 0-based line of `text`'s first line in `file`. */
  startLine: number;
}

/** Where the era folders lie: beside this module (sources) or in `library/` (bundle). */
function libraryRoot(): string {
  const beside = __dirname;
  if (existsSync(join(beside, '2.6.10'))) return beside;
  return join(__dirname, 'library');
}

const ERA = /^\d+\.\d+\.\d+$/;

function compareEras(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

let erasCache: string[] | undefined;
const sourceCache = new Map<string, LibraryFile[]>();
const functionCache = new Map<string, Map<string, LibraryFunction>>();

/** The eras that have a library, oldest first. */
export function eras(): string[] {
  if (!erasCache) {
    const root = libraryRoot();
    erasCache = existsSync(root)
      ? readdirSync(root).filter((n) => ERA.test(n) && statSync(join(root, n)).isDirectory()).sort(compareEras)
      : [];
  }
  return erasCache.slice();
}

/** The C files of an era's library, in file-name order; empty for an unknown era. */
export function librarySource(era: string): LibraryFile[] {
  let files = sourceCache.get(era);
  if (!files) {
    if (!eras().includes(era)) return [];
    const dir = join(libraryRoot(), era);
    files = readdirSync(dir).filter((n) => n.endsWith('.c')).sort()
      .map((n) => ({ file: `${era}/${n}`, text: readFileSync(join(dir, n), 'utf8') }));
    sourceCache.set(era, files);
  }
  return files;
}

/**
 * Every function defined in an era's library, by name. Needs `initParser()` to have completed.
 * A name defined twice (never in a well-formed library) keeps its first definition.
 */
export function libraryFunctions(era: string): Map<string, LibraryFunction> {
  let fns = functionCache.get(era);
  if (!fns) {
    fns = new Map();
    for (const f of librarySource(era)) {
      const tree = parseC(f.text);
      for (const node of tree.rootNode.children) {
        if (!node || node.type !== 'function_definition') continue;
        const name = definitionName(node);
        if (!name || fns.has(name)) continue;
        const lines = f.text.split('\n');
        const startLine = node.startPosition.row;
        const text = lines.slice(startLine, node.endPosition.row + 1).join('\n') + '\n';
        fns.set(name, { file: f.file, text, startLine });
      }
      tree.delete();
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

/** A line reduced for comparison: whitespace runs collapsed, ends trimmed. */
export function normaliseLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Whether a normalised line says anything about the code: not blank, not only a comment, not
 * only punctuation (`}`, `{`, `} else {`), all of which every era shares.
 */
export function isSignificant(norm: string): boolean {
  if (norm === '') return false;
  if (/^(\/\*|\*|\/\/)/.test(norm)) return false;
  if (/^[{}();,\s]*(else)?[{}();,\s]*$/.test(norm)) return false;
  return true;
}

const normalisedCache = new Map<string, Set<string>>();

function normalisedLines(era: string): Set<string> {
  let set = normalisedCache.get(era);
  if (!set) {
    set = new Set();
    for (const f of librarySource(era)) {
      for (const l of f.text.split('\n')) {
        const n = normaliseLine(l);
        if (isSignificant(n)) set.add(n);
      }
    }
    normalisedCache.set(era, set);
  }
  return set;
}

/**
 * Ranks the eras by how many of the patch's pre-image lines (context and removed lines) their
 * library holds, best first; ties go to the newer era. Blank, comment-only and punctuation-only
 * lines do not count.
 */
export function matchEra(preContextLines: string[]): { era: string; score: number }[] {
  const wanted = preContextLines.map(normaliseLine).filter(isSignificant);
  return eras()
    .map((era) => {
      const lib = normalisedLines(era);
      return { era, score: wanted.filter((l) => lib.has(l)).length };
    })
    .sort((a, b) => b.score - a.score || compareEras(b.era, a.era));
}
