/**
 * Users' scenarios for the command line: the `.json` files of `.kpr/scenarios/` under the current
 * directory (the folder the language server reads by default), or of the folder given with
 * `--scenarios DIR`. The loader (scenarios/load.ts) validates them; this file decides what the
 * commands do with its problems: they are printed on stderr naming the file and the field, and
 * only a `run` of the very scenario a bad file holds fails on them.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import { loadUserScenarios } from '../scenario-folder';
import type { ScenarioProblem } from '../scenarios/load';
import type { ScenarioSpec } from '../scenarios/spec';
import type { Io } from './io';

export const DEFAULT_SCENARIO_DIR = join('.kpr', 'scenarios');

export interface ScenarioSet {
  /** The built-in catalog, then the users' valid scenarios in file-name order. */
  all: ScenarioSpec[];
  user: ScenarioSpec[];
  problems: ScenarioProblem[];
}

/**
 * Loads the users' scenarios. A folder named with --scenarios must exist (else the error to
 * print, exit 2); the default folder may be absent. Best called after `initAnalysis()`: entries
 * are then checked against the parsed libraries rather than by a text search of them.
 */
export function loadScenarioSet(dir: string | undefined, cwd = process.cwd()): ScenarioSet | { error: string } {
  const abs = folderPath(dir, cwd);
  if (dir !== undefined && !isFolder(abs)) return { error: `cannot read the scenarios folder ${dir}: no such directory` };
  const { scenarios, problems } = loadUserScenarios(abs);
  // Problems name files as the user would: relative to where kpr runs when they lie below it.
  const shown = problems.map((p) => ({ ...p, file: displayPath(p.file, cwd) }));
  return { all: [...BUILTIN_SCENARIOS, ...scenarios], user: scenarios, problems: shown };
}

/** The users' scenarios folder: DIR, else the default, relative to `cwd`. */
function folderPath(dir: string | undefined, cwd: string): string {
  const folder = dir ?? DEFAULT_SCENARIO_DIR;
  return isAbsolute(folder) ? folder : join(cwd, folder);
}

function isFolder(abs: string): boolean {
  try { return statSync(abs).isDirectory(); } catch { return false; }
}

/** Whether there is a users' scenarios folder to read (`loadScenarioSet` then has work to do). */
export function scenarioFolderExists(dir: string | undefined, cwd = process.cwd()): boolean {
  return isFolder(folderPath(dir, cwd));
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `FILE: FIELD: message`, the field as a JSON pointer (the whole file when it has none). */
export function problemText(p: ScenarioProblem): string {
  return `${p.file}: ${p.pointer === '' ? '(whole file)' : p.pointer}: ${p.message}`;
}

/** Prints every problem as a warning: the scenario of that file is left out, the command goes on. */
export function warnProblems(problems: readonly ScenarioProblem[], io: Io): void {
  for (const p of problems) io.err(`kpr: warning: ${problemText(p)} (scenario left out)\n`);
}

/**
 * The problems of the file(s) that were meant to define scenario `id`: by the id the file
 * declares, else by its name (`my-scenario.json` for `my-scenario`).
 */
export function problemsOf(id: string, problems: readonly ScenarioProblem[]): ScenarioProblem[] {
  const files = new Set(problems.filter((p) => p.id === id || baseName(p.file) === `${id}.json`).map((p) => p.file));
  return problems.filter((p) => files.has(p.file));
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
