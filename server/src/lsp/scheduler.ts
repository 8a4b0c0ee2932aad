/**
 * Debounced, version-checked analysis of open documents. A result is published only if the
 * document still has the version that was analysed, so stale diagnostics never reach the client.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';

export interface SchedulerHooks {
  analyze(text: string, uri: string): Analysis;
  /** Current version of an open document, or undefined once it is closed. */
  currentVersion(uri: string): number | undefined;
  publish(uri: string, version: number, analysis: Analysis): void;
  logError(message: string): void;
}

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, { version: number; analysis: Analysis }>();

  constructor(private readonly hooks: SchedulerHooks, public debounceMs = 200) {}

  /** Called on open and on every change: restart the document's debounce timer. */
  schedule(doc: TextDocument): void {
    this.cancel(doc.uri);
    const timer = setTimeout(() => {
      this.timers.delete(doc.uri);
      this.run(doc);
    }, Math.max(0, this.debounceMs));
    this.timers.set(doc.uri, timer);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  forget(uri: string): void {
    this.cancel(uri);
    this.latest.delete(uri);
  }

  /** The analysis of exactly this version, computing it now if the debounced run has not happened yet. */
  analysisFor(doc: TextDocument): Analysis | undefined {
    const cached = this.latest.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.analysis;
    return this.compute(doc);
  }

  private compute(doc: TextDocument): Analysis | undefined {
    const version = doc.version;
    try {
      const analysis = this.hooks.analyze(doc.getText(), doc.uri);
      this.latest.set(doc.uri, { version, analysis });
      return analysis;
    } catch (err) {
      this.hooks.logError(`kpr: analysis of ${doc.uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  }

  private run(doc: TextDocument): void {
    const version = doc.version;
    const analysis = this.analysisFor(doc);
    if (!analysis) return;
    // Drop the result if a newer version (or a close) arrived while it was being computed.
    if (this.hooks.currentVersion(doc.uri) !== version) return;
    this.hooks.publish(doc.uri, version, analysis);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.latest.clear();
  }
}
