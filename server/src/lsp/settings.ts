/** Reads the server's settings (`kpr.*`) from initializationOptions or workspace/configuration. */
import { ABIS, type Abi } from '../lower/ctypes';
import { MEMORY_MODELS, type MemoryModel } from '../model/weak';

export interface Settings {
  debounceMs: number;
  /**
   * Exploration bounds handed to the model tier (`kpr.bounds.*`); `ms` is the wall time one
   * document's model tier may take before its unfinished searches are reported unjudged.
   */
  bounds: { preemptions: number; states: number; ms: number };
  /** Whether model-tier findings are shown (`kpr.tiers.model`). */
  modelTier: boolean;
  /** The memory model the model tier runs under (`kpr.memoryModel`, DESIGN section 13). */
  memoryModel: MemoryModel;
  /** Workspace-relative folder of user scenarios (`kpr.scenarioFolder`). */
  scenarioFolder: string;
  /**
   * Whether user scenarios may be listed and run. Not a user setting: the VS Code client sends
   * false when the workspace is not trusted (restricted mode), since a scenario file is input the
   * workspace's author controls.
   */
  userScenarios: boolean;
  /** The C data model both tiers lower the code with (`kpr.abi`, DESIGN section 13). */
  abi: Abi;
}

/** The largest `kpr.bounds.ms` (a workspace may set it; it must stay finite). */
export const MAX_DOCUMENT_MS = 600_000;

/**
 * The largest `kpr.bounds.preemptions` and `kpr.bounds.states` a workspace may set: each
 * preemption more multiplies the fallback search, and states cost about 5 KB each, so 10 million
 * is already past a worker's heap ceiling (the search then stops on memory and says so).
 */
export const MAX_BOUNDS = { preemptions: 10, states: 10_000_000 } as const;

export const DEFAULT_SETTINGS: Settings = {
  debounceMs: 200,
  bounds: { preemptions: 1, states: 200000, ms: 20_000 },
  modelTier: true,
  memoryModel: 'sc',
  scenarioFolder: '.kpr/scenarios',
  userScenarios: true,
  abi: 'lp64',
};

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/**
 * Accepts `{ debounceMs }`, `{ kpr: { debounceMs } }` and `{ "kpr.debounceMs": n }` (and the same
 * for every key, `bounds.preemptions` included), since LSP clients other than VS Code pass
 * settings in all three shapes. Returns the reader of a dotted key, or undefined when `raw` holds
 * no settings at all. Shared with the static tier's bounds (static-bounds.ts).
 */
export function settingReader(raw: unknown): ((key: string) => unknown) | undefined {
  const top = record(raw);
  if (!top) return undefined;
  const nested = record(top.kpr) ?? {};
  return (key: string): unknown => {
    for (const obj of [nested, top]) {
      let v: unknown = obj;
      for (const part of key.split('.')) v = record(v)?.[part];
      if (v !== undefined) return v;
      if (obj[key] !== undefined) return obj[key];
    }
    return top[`kpr.${key}`];
  };
}

/** A finite number >= 0, or the fallback. */
export function count(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}

/** Missing or bad values keep the old setting (see `settingReader` for the accepted shapes). */
export function readSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS, from: 'initialization' | 'configuration' = 'configuration'): Settings {
  const get = settingReader(raw);
  if (!get) return base;
  const model = get('tiers.model');
  const folder = get('scenarioFolder');
  const abi = get('abi');
  const memoryModel = get('memoryModel');
  // Whether user scenarios may run is the client's word on workspace trust, given once at
  // initialization; workspace settings must not be able to switch restricted mode off.
  const user = from === 'initialization' ? get('userScenarios') : undefined;
  return {
    debounceMs: count(get('debounceMs'), base.debounceMs),
    bounds: {
      preemptions: Math.min(MAX_BOUNDS.preemptions, Math.floor(count(get('bounds.preemptions'), base.bounds.preemptions))),
      states: Math.min(MAX_BOUNDS.states, Math.floor(count(get('bounds.states'), base.bounds.states))),
      // Past ten minutes a reviewer has long stopped waiting; under a second nothing is judged.
      ms: Math.min(MAX_DOCUMENT_MS, Math.max(1000, Math.floor(count(get('bounds.ms'), base.bounds.ms)))),
    },
    modelTier: typeof model === 'boolean' ? model : base.modelTier,
    memoryModel: (MEMORY_MODELS as readonly unknown[]).includes(memoryModel) ? memoryModel as MemoryModel : base.memoryModel,
    scenarioFolder: typeof folder === 'string' && folder.trim() !== '' ? folder : base.scenarioFolder,
    userScenarios: typeof user === 'boolean' ? user : base.userScenarios,
    abi: typeof abi === 'string' && (ABIS as readonly string[]).includes(abi) ? (abi as Abi) : base.abi,
  };
}
