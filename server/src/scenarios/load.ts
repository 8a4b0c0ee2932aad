/**
 * User scenarios: `.kpr/scenarios/*.json` in a workspace, validated against schema.json (which
 * mirrors ScenarioSpec) and against the era libraries. Nothing in a scenario is executed as
 * code: it only names entry functions, which must be functions of the libraries of its eras.
 * Never throws: every problem (unreadable file, bad JSON, a bad field) is returned with the
 * JSON pointer of the field it concerns. Reads no file: the surfaces read the folder
 * (scenario-folder.ts, which says how hostile files are read) and hand its texts in. The schema bounds every size the model allocates from (file size, pages, threads,
 * arguments, search bounds), and the text a scenario brings (title, doc) has its control
 * characters escaped here, once, so every surface that prints it prints it harmlessly.
 */
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parserReady } from '../c/parser';
import { eras as libraryEras, libraryFunctions, librarySource } from '../model/library/index';
import { escapeControls } from '../intake/control-chars';
import { BUILTIN_IDS } from './catalog';
import schema from './schema.json';
import type { ScenarioSpec } from './spec';
import { appendAll } from '../arrays';

export interface ScenarioProblem {
  /** The file, as passed in (directory joined with the file name). */
  file: string;
  /** JSON pointer to the offending value ('' for the whole document). */
  pointer: string;
  message: string;
  /**
   * The id the file declares, when its JSON has a string `id` (even an invalid one): lets a
   * caller asked for that scenario say why it cannot run instead of calling it unknown.
   */
  id?: string;
}

/** One file of a scenarios folder: its text, or why it was not read. */
export type FileRead = { text: string } | { refused: string };

/** A scenarios folder as the surfaces read it: its `.json` files in name order, or why it could not be listed. */
export type ScenarioFolder = { files: { name: string; read: FileRead }[] } | { refused: string };

export interface UserScenarios { scenarios: ScenarioSpec[]; problems: ScenarioProblem[] }

/** The schema's validator, compiled on first use: compiling costs tens of ms at every start-up otherwise. */
let validator: ValidateFunction | undefined;
const schemaValidator = (): ValidateFunction => (validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema));

/** 1-based line and column of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Parses JSON, turning a syntax error into a message with its line and column. */
export function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const where = m ? lineCol(text, Number(m[1])) : lineCol(text, text.length);
    const reason = msg.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { error: `invalid JSON at line ${where.line}, column ${where.column}: ${reason}` };
  }
}

/** One clear message per ajv error, pointing at the field concerned. */
function describe(err: ErrorObject): { pointer: string; message: string } {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return { pointer: err.instancePath, message: `missing required property '${String(p.missingProperty)}'` };
    case 'additionalProperties':
      return { pointer: `${err.instancePath}/${String(p.additionalProperty)}`, message: `unknown property '${String(p.additionalProperty)}'` };
    case 'enum':
      return { pointer: err.instancePath, message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'oneOf':
      return { pointer: err.instancePath, message: 'must be an integer, { "ref": "file" | "mapping" | "inode" | "vma" | "mm" } or { "iocb": { "sync": true | false } }' };
    default:
      return { pointer: err.instancePath, message: err.message ?? err.keyword };
  }
}

/**
 * Schema errors worth showing: errors inside a `oneOf` alternative are noise once the `oneOf`
 * itself is reported, and one message per (pointer, message) is enough.
 */
function schemaProblems(errors: ErrorObject[]): { pointer: string; message: string }[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const out: { pointer: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/'))) continue;
    const d = describe(e);
    const key = `${d.pointer}\u0000${d.message}`;
    if (!seen.has(key)) { seen.add(key); out.push(d); }
  }
  return out;
}

/** Whether an era's library defines `name`: by its parse when the parser is ready, else by text. */
function libraryDefines(era: string, name: string): boolean {
  if (parserReady()) return libraryFunctions(era).has(name);
  const def = new RegExp(`^[A-Za-z_][^;{}\\n]*\\b${name}\\s*\\(`, 'm');
  return librarySource(era).some((f) => def.test(f.text));
}

/** Checks the schema cannot express: known eras, entries that exist, distinct thread names. */
/** Most pages a scenario's process may map (the vma's span): each is walked when ptes are zapped. */
const MAX_MAPPED_PAGES = 1024;

function semanticProblems(s: ScenarioSpec): { pointer: string; message: string }[] {
  const out: { pointer: string; message: string }[] = [];
  const known = libraryEras();
  s.eras?.forEach((era, i) => {
    if (!known.includes(era)) out.push({ pointer: `/eras/${i}`, message: `unknown era '${era}' (libraries exist for ${known.join(', ')})` });
  });
  const eras = (s.eras ?? known).filter((e) => known.includes(e));
  const names = new Set<string>();
  s.threads.forEach((t, i) => {
    if (names.has(t.name)) out.push({ pointer: `/threads/${i}/name`, message: `thread name '${t.name}' is used twice` });
    names.add(t.name);
    const missing = eras.filter((era) => !libraryDefines(era, t.entry));
    if (eras.length && missing.length === eras.length) {
      out.push({ pointer: `/threads/${i}/entry`, message: `'${t.entry}' is not a function of the model library (eras ${eras.join(', ')})` });
    } else if (s.eras && missing.length) {
      out.push({ pointer: `/threads/${i}/entry`, message: `'${t.entry}' is not a function of the ${missing.join(', ')} library` });
    }
  });
  s.file.pages.forEach((pg, i) => {
    if (pg.index * 4096 >= s.file.size && pg.cached !== false) {
      out.push({ pointer: `/file/pages/${i}/index`, message: `page ${pg.index} lies beyond the file size ${s.file.size}` });
    }
    if (pg.mapped && s.vma && (pg.index < s.vma.pgoff || pg.index >= s.vma.pgoff + s.vma.pages)) {
      out.push({ pointer: `/file/pages/${i}/mapped`, message: `page ${pg.index} is mapped but lies outside the vma (pages ${s.vma.pgoff} to ${s.vma.pgoff + s.vma.pages - 1})` });
    }
  });
  // Zapping walks every page of the vma: the span the process maps is what costs, not the size.
  const filePages = Math.ceil(s.file.size / 4096);
  if (!s.vma && filePages > MAX_MAPPED_PAGES) {
    out.push({ pointer: '/file/size', message: `a file of ${filePages} pages needs a "vma" that maps at most ${MAX_MAPPED_PAGES} of them` });
  }
  return out;
}

/** Validates one scenario document's text; `file` only labels the problems. */
export function validateScenarioText(text: string, file: string): { scenario?: ScenarioSpec; problems: ScenarioProblem[] } {
  const parsed = parseJson(text);
  if (parsed.error !== undefined) return { problems: [{ file, pointer: '', message: escapeControls(parsed.error) }] };
  const declared = (parsed.value as { id?: unknown } | null)?.id;
  const id = typeof declared === 'string' ? { id: escapeControls(declared) } : {};
  const validate = schemaValidator();
  if (!validate(parsed.value)) {
    return { problems: schemaProblems(validate.errors ?? []).map((p) => ({ file, ...p, ...id })) };
  }
  const scenario = parsed.value as unknown as ScenarioSpec;
  const problems = semanticProblems(scenario).map((p) => ({ file, ...p, ...id }));
  if (problems.length) return { problems };
  scenario.title = escapeControls(scenario.title);
  scenario.doc = escapeControls(scenario.doc, true);
  return { scenario, problems };
}

/**
 * The scenarios of a folder's files (`dir` only names them in problems). A scenario whose id is a
 * built-in id or the id of an earlier file is refused. Each file stands alone: a bad or unread
 * one is named with its reason and the others still load. File names and messages come back with
 * control characters escaped.
 */
export function scenariosFromFolder(dir: string, folder: ScenarioFolder): UserScenarios {
  const scenarios: ScenarioSpec[] = [];
  const problems: ScenarioProblem[] = [];
  if ('refused' in folder) return { scenarios, problems: [{ file: dir, pointer: '', message: escapeControls(folder.refused) }] };
  const ids = new Set<string>(BUILTIN_IDS);
  for (const { name, read } of folder.files) {
    const file = join(dir, escapeControls(name));
    if ('refused' in read) {
      problems.push({ file, pointer: '', message: escapeControls(read.refused) });
      continue;
    }
    const r = validateScenarioText(read.text, file);
    appendAll(problems, r.problems);
    if (!r.scenario) continue;
    if (ids.has(r.scenario.id)) {
      problems.push({ file, pointer: '/id', message: `scenario id '${r.scenario.id}' is already taken`, id: r.scenario.id });
      continue;
    }
    ids.add(r.scenario.id);
    scenarios.push(r.scenario);
  }
  return { scenarios, problems };
}
