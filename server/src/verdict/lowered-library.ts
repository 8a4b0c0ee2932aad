/**
 * The era libraries lowered once at build time. `libraryLayer` (side-program.ts) lowers every
 * function of an era's library the first time a process plans a document of that era: about
 * 110 ms of a `kpr check` worker's 2 s on seed 002, and the same in each language-server worker
 * for its first document of an era. The build lowers every era for the default data model (lp64)
 * and writes the step programs beside the bundled library (`server/dist/library/lowered.bin`,
 * scripts/library-spans.ts), keyed by the library's hash like its spans (model/library/spans.ts).
 * V8's serialization, not JSON: the step programs hold bigints, and it reads back in a few ms.
 * A library that differs from the one the build lowered (a layer edited since), another data
 * model, or bytes this process's V8 cannot read (another Node than the build's) are lowered as
 * before: it makes planning faster, never different.
 */
import { deserialize, serialize } from 'node:v8';
import type { FunctionIR } from '../ir/step-program';
import type { Abi } from '../lower/ctypes';
import { installedLibraryHash } from '../model/library/index';

export interface LoweredLibrary {
  /** `libraryHash` of the layers that were lowered. */
  hash: string;
  abi: Abi;
  /** Per era, per library function that lowered, its step program. */
  eras: Record<string, Record<string, FunctionIR>>;
}

/** The file's shape: each era serialised on its own, read when a document of that era is planned
 *  (all nine read at start cost about 35 ms, most of what they save for a process using one). */
interface LoweredFile {
  hash: string;
  abi: Abi;
  eras: Record<string, Uint8Array>;
}

/** The file the build writes beside the bundled library. */
export const LOWERED_FILE = 'lowered.bin';

export function encodeLoweredLibrary(l: LoweredLibrary): Uint8Array {
  const eras: Record<string, Uint8Array> = {};
  for (const [era, fns] of Object.entries(l.eras)) eras[era] = serialize(fns);
  return serialize({ hash: l.hash, abi: l.abi, eras } satisfies LoweredFile);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** What `bytes` hold, when they read as the build's file; else undefined. Never throws. Each era's
 *  step programs are read later, when asked for (`prebuiltLowering`). */
export function decodeLoweredLibrary(bytes: Uint8Array): LoweredFile | undefined {
  let v: unknown;
  try {
    v = deserialize(bytes);
  } catch {
    return undefined;
  }
  if (!isRecord(v) || typeof v.hash !== 'string' || (v.abi !== 'lp64' && v.abi !== 'ilp32') || !isRecord(v.eras)) return undefined;
  if (!Object.values(v.eras).every((b) => b instanceof Uint8Array)) return undefined;
  return v as unknown as LoweredFile;
}

/** One era's step programs from the file, or undefined when they do not read as such. Never throws. */
function decodeEra(bytes: Uint8Array): Record<string, FunctionIR> | undefined {
  let v: unknown;
  try {
    v = deserialize(bytes);
  } catch {
    return undefined;
  }
  if (!isRecord(v)) return undefined;
  for (const ir of Object.values(v)) if (!isRecord(ir) || typeof ir.name !== 'string' || !Array.isArray(ir.steps) || typeof ir.entry !== 'number') return undefined;
  return v as Record<string, FunctionIR>;
}

let given: LoweredFile | undefined;
const decoded = new Map<string, Record<string, FunctionIR> | undefined>();

/** Hands over what the build lowered (undefined: none). Entry points call it once, at start. */
export function useLoweredLibrary(l: LoweredFile | undefined): void {
  given = l;
  decoded.clear();
}

/** The build's step programs of an era's library, when they were lowered from the installed layers for `abi`. */
export function prebuiltLowering(era: string, abi: Abi): Record<string, FunctionIR> | undefined {
  if (!given || given.abi !== abi || given.hash !== installedLibraryHash() || !Object.hasOwn(given.eras, era)) return undefined;
  if (!decoded.has(era)) decoded.set(era, decodeEra(given.eras[era]));
  return decoded.get(era);
}
