/**
 * The seam between the language server and the model tier. The server asks a RunProvider which
 * scenarios apply to a document, to run one, for the model-tier findings it has for a document,
 * and for the text of model library files. The real provider (explorer + verdicts) is plugged in
 * by whoever calls `startServer`; without one the server offers no scenarios and the editor
 * features that need runs simply stay empty.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis';
import type { Finding } from '../findings';
import { libraryFile } from '../model/library/index';
import type { ScenarioInfo } from '../protocol';
import type { ScenarioSpec } from '../scenarios/spec';
import type { ScenarioRun, SideRun } from '../verdict/scenario-run';
import type { Settings } from './settings';

/** What a provider gets to know about the document it is asked about. */
export interface RunDocument {
  uri: string;
  /** File system path of the document (the uri itself when it is not a file). */
  path: string;
  version: number;
  text: string;
  analysis: Analysis;
  settings: Settings;
  /** Absolute folder of user scenarios; undefined when user scenarios are not allowed (restricted mode). */
  userScenarioFolder?: string;
}

export interface RunProvider {
  scenariosFor(uri: string, doc: RunDocument): ScenarioInfo[] | Promise<ScenarioInfo[]>;
  run(uri: string, scenarioId: string, token: CancellationToken, doc: RunDocument): Promise<ScenarioRun>;
  /** Model-tier findings the provider has for this version of the document (merged into diagnostics and hover). */
  findings?(uri: string, doc: RunDocument): Finding[];
  /**
   * Whether the model findings of this version are in ('done') or still to come ('analysing':
   * what `findings` gives meanwhile is empty or stale). Absent: the provider answers at once.
   */
  modelState?(uri: string, version: number): 'analysing' | 'done';
  /** Text of a model library file `<era>/<name>.c`; when absent the server reads the era libraries itself. */
  modelSource?(path: string): string | undefined;
  /**
   * Gives a provider that computes findings in the background the means to publish them, and a
   * way to learn which scenarios apply to a document off the server's thread (`listScenarios`:
   * by scenario id; undefined when the listing could not be made, e.g. a stopped worker).
   */
  attach?(hooks: {
    republish(uri: string): void;
    log(message: string): void;
    progress?(title: string): () => void;
    listScenarios?(doc: RunDocument, extra: ScenarioSpec[]): Promise<Map<string, boolean> | undefined>;
  }): void;
  /** The document was closed: stop its work, drop its results. */
  forget?(uri: string): void;
  dispose?(): Promise<void>;
}

/** Reads `<layer>/<name>.c` from the era libraries this server ships. */
export function libraryModelSource(path: string): string | undefined {
  return libraryFile(path)?.text;
}

export interface Verdict {
  introduced: number;
  fixed: number;
  remaining: number;
  complete: boolean;
}

/**
 * Rules broken on a side, each once: a verdict compares which rules break, not how often. A
 * searched side names every rule its search found; a replayed one only what its trace breaks.
 */
function broken(side: SideRun | undefined): Set<string> {
  return new Set(side?.broken ?? (side?.violations ?? []).map((v) => v.rule));
}

/** Differential verdict of one run: introduced = post only, fixed = pre only, remaining = both. */
export function verdictOf(run: ScenarioRun): Verdict {
  const pre = broken(run.pre);
  const post = broken(run.post);
  return {
    introduced: [...post].filter((r) => !pre.has(r)).length,
    fixed: [...pre].filter((r) => !post.has(r)).length,
    remaining: [...post].filter((r) => pre.has(r)).length,
    complete: (run.pre?.complete ?? true) && (run.post?.complete ?? true),
  };
}

/** `dio-write-vs-fault: 1 introduced, 1 fixed` (`clean` when nothing breaks on either side). */
export function summarize(run: ScenarioRun): string {
  const v = verdictOf(run);
  const parts = (['introduced', 'remaining', 'fixed'] as const).filter((k) => v[k] > 0).map((k) => `${v[k]} ${k}`);
  return `${run.scenario}: ${parts.length > 0 ? parts.join(', ') : 'clean'}${v.complete ? '' : ' (search incomplete)'}`;
}

/**
 * Remembers the last run of each scenario per document version, so that code lenses can show a
 * verdict and a later edit (new version) drops it rather than showing a stale one.
 */
export class RunCache {
  private readonly runs = new Map<string, { version: number; byScenario: Map<string, ScenarioRun> }>();

  put(uri: string, version: number, run: ScenarioRun): void {
    let entry = this.runs.get(uri);
    if (!entry || entry.version !== version) {
      entry = { version, byScenario: new Map() };
      this.runs.set(uri, entry);
    }
    entry.byScenario.set(run.scenario, run);
  }

  get(uri: string, version: number, scenario: string): ScenarioRun | undefined {
    const entry = this.runs.get(uri);
    return entry && entry.version === version ? entry.byScenario.get(scenario) : undefined;
  }

  forget(uri: string): void {
    this.runs.delete(uri);
  }
}
