/**
 * Reading a user-scenario folder (`.kpr/scenarios`) for the surfaces: only cli/ and lsp/ import
 * this file (the architecture test holds them to it), and they hand what it read, as text, to the
 * engine's loader (scenarios/load.ts `scenariosFromFolder`), which reads no file.
 *
 * The files are hostile input: a workspace can put anything there. Only regular files are read (a FIFO would block the reader forever, a device such as
 * /dev/zero never ends); a symlink is followed only when its target is a regular file inside the
 * same folder; a file larger than MAX_SCENARIO_FILE_BYTES is refused before it is read, and the
 * read itself stops one byte past that bound, so a file that grows between the check and the
 * read is still refused. At most MAX_SCENARIO_FILES files are read; the rest are named and left
 * out. Every refusal is a reason string for that file alone: the other files are still read.
 *
 * Limit: the checks use the file's metadata at open time (fstat of the opened descriptor, so no
 * swap between check and read); a file system that lies about regular files is not defended.
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scenariosFromFolder, type FileRead, type ScenarioFolder, type UserScenarios } from './scenarios/load';

/** Largest scenario file read, in bytes: a scenario is a few hundred bytes to a few kilobytes. */
export const MAX_SCENARIO_FILE_BYTES = 64 * 1024;
/** Most `.json` files read from one folder. */
export const MAX_SCENARIO_FILES = 64;

/** Whether `path` is a file directly inside the folder `dir` (both already resolved). */
function inside(dir: string, path: string): boolean {
  return dirname(path) === dir && path !== dir;
}

/** Where a symlink leads, when that is a file directly inside `realDir`; else why it is refused. */
function symlinkTarget(realDir: string, file: string): { path: string } | { refused: string } {
  let target: string;
  try {
    target = realpathSync(file);
  } catch (e) {
    return { refused: `a symbolic link that leads nowhere (${errorText(e)})` };
  }
  if (!inside(realDir, target)) return { refused: 'a symbolic link out of the scenarios folder is not followed' };
  return { path: target };
}

/** Reads one file of the folder `dir` under the rules above. */
function readScenarioFile(dir: string, name: string): FileRead {
  const file = join(dir, name);
  let path = file;
  try {
    if (lstatSync(file).isSymbolicLink()) {
      const t = symlinkTarget(realpathSync(dir), file);
      if ('refused' in t) return t;
      path = t.path;
    }
  } catch (e) {
    return { refused: `cannot read the file: ${errorText(e)}` };
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; O_NOFOLLOW: the path
    // checked above is the path opened, never a link swapped in meanwhile.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    return { refused: `cannot read the file: ${errorText(e)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { refused: `not a regular file (${kind(st)}); only regular files are read` };
    if (st.size > MAX_SCENARIO_FILE_BYTES) {
      return { refused: `the file has ${st.size} bytes, more than the ${MAX_SCENARIO_FILE_BYTES} a scenario file may have` };
    }
    const buf = Buffer.alloc(MAX_SCENARIO_FILE_BYTES + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got > MAX_SCENARIO_FILE_BYTES) {
        return { refused: `the file grew past the ${MAX_SCENARIO_FILE_BYTES} bytes a scenario file may have` };
      }
    }
    return { text: buf.subarray(0, got).toString('utf8') };
  } catch (e) {
    return { refused: `cannot read the file: ${errorText(e)}` };
  } finally {
    closeSync(fd);
  }
}

function kind(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The `*.json` files of `dir` in name order, each read or refused with its reason; at most
 * MAX_SCENARIO_FILES are read, the rest are refused unread. A missing directory holds nothing.
 */
export function readScenarioFolder(dir: string): ScenarioFolder {
  let names: string[];
  try {
    names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')).sort() : [];
  } catch (e) {
    return { refused: `cannot read the directory: ${errorText(e)}` };
  }
  return {
    files: names.map((name, i) => ({
      name,
      read: i < MAX_SCENARIO_FILES ? readScenarioFile(dir, name) : { refused: `not read: a scenarios folder may hold at most ${MAX_SCENARIO_FILES} scenario files` },
    })),
  };
}

/** The user scenarios of `dir`, read here and validated by the engine's loader. */
export function loadUserScenarios(dir: string): UserScenarios {
  return scenariosFromFolder(dir, readScenarioFolder(dir));
}
