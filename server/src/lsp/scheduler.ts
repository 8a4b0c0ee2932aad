/**
 * Debounced, version-checked static analysis of open documents, run on the static workers
 * (static-pool.ts) so that the server's thread only sends text and receives results. A result
 * is published only if the document still has the version that was analysed, so stale
 * diagnostics never reach the client. A newer version or a close cancels the running analysis.
 * Requests (hover, outline, lenses, commands) await the analysis of exactly the version they
 * were asked about, and give up as soon as the client cancels them.
 */
import type { Abi } from '../lower/ctypes';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';
import { cutToBound, sizeNote, stopNote, type StaticBounds } from './static-bounds';
import type { StaticHandle, StaticOutcome, StaticRequest } from './static-pool';

/** One version of a document, analysed (or stopped by a bound). */
export interface Analysed {
  version: number;
  analysis: Analysis;
  /** The text analysed: the document's, or its prefix under the size bound. The model tier gets the same. */
  text: string;
  /** Diagnostics saying that a bound cut this analysis short (empty when none did). */
  notes: Diagnostic[];
  /** The analysis was stopped (time, memory, worker failure): `analysis` is empty, no tier has findings. */
  stopped: boolean;
  /** The bounds it ran under: a change of bounds analyses again. */
  key: string;
}

export interface StaticBackend {
  analyse(req: StaticRequest): StaticHandle;
  forget?(uri: string): void;
}

export interface SchedulerHooks {
  backend: StaticBackend;
  /** Current version of an open document, or undefined once it is closed. */
  currentVersion(uri: string): number | undefined;
  publish(uri: string, analysed: Analysed): void;
  /** File system path of a document (its uri when it is not a file). */
  path(uri: string): string;
  bounds(): StaticBounds;
  /** The C data model to lower with (`kpr.abi`); absent: lp64. */
  abi?(): Abi;
  logError(message: string): void;
}

interface Running {
  version: number;
  key: string;
  handle: StaticHandle;
  done: Promise<Analysed | undefined>;
}

const keyOf = (b: StaticBounds): string => `${b.maxSizeKb}/${b.maxMs}`;

/** What a stopped analysis leaves: the document with nothing in it, so every feature stays empty. */
export function emptyAnalysis(path: string): Analysis {
  return {
    document: { path, kind: 'prose', lines: [], messages: [], files: [], codeBlocks: [], problems: [] },
    functions: [],
    findings: [],
    stats: { scenarios: 0, states: 0, ms: 0 },
  };
}

/** Rejects with RequestCancelled as soon as the client cancels; otherwise settles like `p`. */
export function untilCancelled<T>(p: Promise<T>, token: CancellationToken | undefined): Promise<T> {
  if (!token) return p;
  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
  if (token.isCancellationRequested) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => reject(cancelled()));
    p.then((v) => { sub.dispose(); resolve(v); }, (e: unknown) => { sub.dispose(); reject(e); });
  });
}

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, Analysed>();
  private readonly running = new Map<string, Running>();

  constructor(private readonly hooks: SchedulerHooks, public debounceMs = 200) {}

  /** Called on open and on every change: restart the document's debounce timer. */
  schedule(doc: TextDocument): void {
    this.cancelTimer(doc.uri);
    const timer = setTimeout(() => {
      this.timers.delete(doc.uri);
      void this.run(doc);
    }, Math.max(0, this.debounceMs));
    this.timers.set(doc.uri, timer);
  }

  /** The document was closed: stop its analysis and drop what is known about it. */
  forget(uri: string): void {
    this.cancelTimer(uri);
    this.running.get(uri)?.handle.cancel('closed');
    this.running.delete(uri);
    this.latest.delete(uri);
    this.hooks.backend.forget?.(uri);
  }

  /** The finished analysis of exactly this version under the current bounds, if there is one. */
  cached(doc: TextDocument): Analysed | undefined {
    const hit = this.latest.get(doc.uri);
    return hit && hit.version === doc.version && hit.key === this.key() ? hit : undefined;
  }

  /**
   * The analysis of exactly this version: the cached one, the one under way, or one started now
   * (a request should not wait for the debounce). Undefined when it was cancelled meanwhile.
   */
  analysisFor(doc: TextDocument, token?: CancellationToken): Promise<Analysed | undefined> {
    const hit = this.cached(doc);
    return untilCancelled(hit ? Promise.resolve(hit) : this.run(doc), token);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const r of this.running.values()) r.handle.cancel('shutdown');
    this.timers.clear();
    this.running.clear();
    this.latest.clear();
  }

  /** What an analysis depends on besides the text: the static bounds and the ABI. */
  private key(): string {
    return `${keyOf(this.hooks.bounds())}/${this.hooks.abi?.() ?? 'lp64'}`;
  }

  private cancelTimer(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  private run(doc: TextDocument): Promise<Analysed | undefined> {
    const { uri, version } = doc;
    const bounds = this.hooks.bounds();
    const abi = this.hooks.abi?.() ?? 'lp64';
    const key = this.key();
    const hit = this.cached(doc);
    if (hit) {
      // Analysed already (a settings change asks again): publish it under the new settings.
      this.cancelTimer(uri);
      if (this.hooks.currentVersion(uri) === version) this.publish(uri, hit);
      return Promise.resolve(hit);
    }
    const current = this.running.get(uri);
    if (current && current.version === version && current.key === key) return current.done;
    this.cancelTimer(uri);
    current?.handle.cancel(current.version === version ? 'new bounds' : `superseded by v${version}`);

    const cut = cutToBound(doc.getText(), bounds.maxSizeKb * 1024);
    const path = this.hooks.path(uri);
    const handle = this.hooks.backend.analyse({ uri, version, label: `${uri} v${version}`, text: cut.text, path, maxMs: bounds.maxMs, abi });
    const done = handle.result.then((outcome) => {
      if (this.running.get(uri)?.handle === handle) this.running.delete(uri);
      const analysed = this.analysed(outcome, version, key, cut, path, bounds);
      // Drop the result if a newer version (or a close) arrived while it was being computed.
      if (!analysed || this.hooks.currentVersion(uri) !== version) return analysed;
      this.latest.set(uri, analysed);
      this.publish(uri, analysed);
      return analysed;
    });
    this.running.set(uri, { version, key, handle, done });
    return done;
  }

  /** A bug in publishing becomes a log message, never an unhandled rejection (which would end the process). */
  private publish(uri: string, a: Analysed): void {
    try {
      this.hooks.publish(uri, a);
    } catch (err) {
      this.hooks.logError(`kpr: publishing diagnostics of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  private analysed(o: StaticOutcome, version: number, key: string, cut: ReturnType<typeof cutToBound>, path: string, bounds: StaticBounds): Analysed | undefined {
    if (o.kind === 'cancelled' || o.kind === 'listed') return undefined;
    const notes = cut.cutLine === undefined ? [] : [sizeNote(cut, bounds)];
    if (o.kind === 'done') return { version, analysis: o.analysis, text: cut.text, notes, stopped: false, key };
    return { version, analysis: emptyAnalysis(path), text: '', notes: [stopNote(o.reason, o.ms, bounds, o.detail), ...notes], stopped: true, key };
  }
}
