/** Reads the server's settings (`kpr.*`) from initializationOptions or workspace/configuration. */

export interface Settings {
  debounceMs: number;
}

export const DEFAULT_SETTINGS: Settings = { debounceMs: 200 };

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/**
 * Accepts `{ debounceMs }`, `{ kpr: { debounceMs } }` and `{ "kpr.debounceMs": n }`, since LSP
 * clients other than VS Code pass settings in all three shapes. Bad values keep the old setting.
 */
export function readSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const top = record(raw);
  if (!top) return base;
  const nested = record(top.kpr);
  const value = nested?.debounceMs ?? top.debounceMs ?? top['kpr.debounceMs'];
  const debounceMs = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : base.debounceMs;
  return { ...base, debounceMs };
}
