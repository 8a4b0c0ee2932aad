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

/** Reads `kpr.static.*` in the shapes `readSettings` accepts; bad values (or below 1) keep the old bound. */
export function readStaticBounds(raw: unknown, base: StaticBounds = DEFAULT_STATIC_BOUNDS): StaticBounds {
  const get = settingReader(raw);
  if (!get) return base;
  const atLeastOne = (v: unknown, old: number): number => {
    const n = count(v, old);
    return n >= 1 ? n : old;
  };
  return { maxSizeKb: atLeastOne(get('static.maxSizeKb'), base.maxSizeKb), maxMs: atLeastOne(get('static.maxMs'), base.maxMs) };
}

export interface Cut {
  /** The text to analyse: the whole document, or a prefix of it. */
  text: string;
  totalChars: number;
  /** Set when the text was cut: the first document line not analysed (0-based). */
  cutLine?: number;
}

/** Lines of a git extended header, between `diff --git` and `---`: a cut must not split them off. */
const GIT_HEADER = /^(diff |index |new file|deleted file|old mode|new mode|similarity|dissimilarity|rename |copy )/;

/**
 * Lines that may start the part left out: an mbox `From ` line, a `diff` header, a `--- ` line
 * that starts a file (a `+++ ` line follows, no git header precedes), or a hunk that is not its
 * file's first (cutting there would leave a file header without hunks behind).
 */
function startsPart(text: string, at: number): boolean {
  if (text.startsWith('diff ', at) || text.startsWith('From ', at)) return true;
  const prev = text.lastIndexOf('\n', at - 2) + 1;
  if (text.startsWith('--- ', at)) {
    const next = text.indexOf('\n', at) + 1;
    return next > 0 && text.startsWith('+++ ', next) && !GIT_HEADER.test(text.slice(prev, at));
  }
  return text.startsWith('@@ ', at) && !text.startsWith('+++ ', prev);
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/**
 * The prefix of `text` to analyse under a bound of `maxChars`. Looks back from the bound, as far
 * as half of it, for a line that starts a hunk, a file or a mail, and cuts before it; failing
 * that (one hunk larger than half the bound) it cuts at the last line break, where intake will
 * report the last hunk as cut off. Cost: one backward scan of at most half the bound.
 */
export function cutToBound(text: string, maxChars: number): Cut {
  const totalChars = text.length;
  if (totalChars <= maxChars) return { text, totalChars };
  const floor = Math.floor(maxChars / 2);
  let at = -1;
  for (let nl = text.lastIndexOf('\n', maxChars - 1); nl >= 0 && nl + 1 >= floor; nl = text.lastIndexOf('\n', nl - 1)) {
    if (startsPart(text, nl + 1)) {
      at = nl + 1;
      break;
    }
  }
  if (at <= 0) {
    const nl = text.lastIndexOf('\n', maxChars - 1);
    at = nl >= 0 ? nl + 1 : maxChars;
    // Never split a surrogate pair.
    const c = text.charCodeAt(at - 1);
    if (c >= 0xd800 && c <= 0xdbff) at--;
  }
  const prefix = text.slice(0, at);
  return { text: prefix, totalChars, cutLine: lineBreaks(prefix) };
}

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
