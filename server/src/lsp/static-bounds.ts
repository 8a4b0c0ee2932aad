/**
 * Bounds of the language server's static tier, and the diagnostics that say a bound cut the
 * analysis short. The static tier's cost grows with the document (about 4 s per MB of hunks on
 * the 2-core machine, more on a busy one), and its result crosses from the worker to the server's
 * thread by structured clone (about 40 ms per 256 KB on the server's thread). So:
 * - size: only a prefix of at most `maxSizeKb` KiB (UTF-16 units, bytes for ASCII) is analysed,
 *   cut at a hunk, file or mail boundary so that the prefix is itself a well-formed document;
 * - time: an analysis still running after `maxMs` is stopped (its worker is terminated, since
 *   the facade cannot be interrupted) and the document gets no static findings for that version;
 * - memory: each static worker has a heap ceiling (static-pool.ts); crossing it stops the analysis.
 * Whatever stops an analysis, the document gets a diagnostic that says so and why: never silence.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Cut } from '../intake/cut';
import { count, settingReader } from './settings';

export interface StaticBounds {
  /** Largest prefix analysed, in KiB of text (`kpr.static.maxSizeKb`). */
  maxSizeKb: number;
  /** Wall time one analysis may take (`kpr.static.maxMs`). */
  maxMs: number;
}

export const DEFAULT_STATIC_BOUNDS: StaticBounds = { maxSizeKb: 256, maxMs: 10_000 };

/** The diagnostic code of every "analysis cut short" diagnostic (not a rule id: no rule was broken). */
export const BOUND_CODE = 'analysis-bound';

/**
 * The largest `kpr.static.*` values: an untrusted workspace may set these, so they stay finite
 * (the CLI's own defaults: 10 MB of input, and a time no reviewer waits past).
 */
export const STATIC_MAX = { maxSizeKb: 10_240, maxMs: 600_000 } as const;

/**
 * Reads `kpr.static.*` in the shapes `readSettings` accepts; bad values (or below 1) keep the old
 * bound, and values past STATIC_MAX are cut to it.
 */
export function readStaticBounds(raw: unknown, base: StaticBounds = DEFAULT_STATIC_BOUNDS): StaticBounds {
  const get = settingReader(raw);
  if (!get) return base;
  const bounded = (v: unknown, old: number, max: number): number => {
    const n = count(v, old);
    return n >= 1 ? Math.min(n, max) : old;
  };
  return {
    maxSizeKb: bounded(get('static.maxSizeKb'), base.maxSizeKb, STATIC_MAX.maxSizeKb),
    maxMs: bounded(get('static.maxMs'), base.maxMs, STATIC_MAX.maxMs),
  };
}

export { cutToBound, type Cut } from '../intake/cut';

const kb = (chars: number): string => `${Math.ceil(chars / 1024)} KB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function note(line: number, message: string, bound: string): Diagnostic {
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: BOUND_CODE,
    source: 'kpr',
    message,
    data: { tier: 'static', bound },
  };
}

/** On the first line left out: what was not checked, and the bound that left it out. */
export function sizeNote(cut: Cut, bounds: StaticBounds): Diagnostic {
  const line = cut.cutLine ?? 0;
  return note(line,
    `Static analysis stopped before line ${line + 1}: the document has ${kb(cut.totalChars)}, more than the ` +
    `static tier's bound of ${bounds.maxSizeKb} KB (kpr.static.maxSizeKb). Nothing from here to the end is checked, by either tier.`,
    'size');
}

export type StopReason = 'time' | 'memory' | 'crash';

/** On the first line: the analysis of this version was stopped, so it has no static findings. */
export function stopNote(reason: StopReason, ms: number, bounds: StaticBounds, detail?: string): Diagnostic {
  const why =
    reason === 'time' ? `it was still running after ${seconds(ms)}, the static tier's time bound (kpr.static.maxMs is ${bounds.maxMs})`
    : reason === 'memory' ? `it needed more memory than a static worker may use${detail ? ` (${detail})` : ''}`
    : `its worker failed${detail ? `: ${detail}` : ''}`;
  return note(0, `Static analysis of this version was cut short: ${why}. No static or model findings are shown for it; a smaller document (or a higher bound) gets them.`, reason);
}
