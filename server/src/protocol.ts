/**
 * The wire between the language server and its clients: the names of the custom requests,
 * notifications, commands and URI schemes, and the shapes that travel under them. The server
 * (lsp/) and the VS Code client (client/src) both import them from here, so neither writes a
 * name or a shape out again. Types only besides the names and the URI helpers: the client
 * bundles this file and findings.ts's vocabulary, never the engine behind them.
 */
import { isRuleId, type Side, type Status } from './findings';
import type { Range } from './intake/document';
import type { VerdictSummary } from './verdict/summary';

export type { Side } from './findings';
export type { PageSnapshot, RunStep, RunViolation, ScenarioRun, SideRun } from './verdict/scenario-run';
export type { VerdictSummary } from './verdict/summary';

/** Custom request: `{ uri: "kpr-model:/<era>/<file>.c" }` → the file's text, or null. */
export const MODEL_SOURCE_REQUEST = 'kpr/modelSource';
/** Custom request: `{ uri: "kpr-rule:/<rule>.md" }` → the rule's page in Markdown, or null. */
export const RULE_DOC_REQUEST = 'kpr/ruleDoc';
/** Notification with every publish of a document's diagnostics: `VerdictParams`. */
export const VERDICT_NOTIFICATION = 'kpr/verdict';

/** workspace/executeCommand: `[uri]` → `ScenarioInfo[]`. */
export const LIST_SCENARIOS = 'kpr.listScenarios';
/** workspace/executeCommand: `[uri, scenarioId]` → `ScenarioRun`; also the lens's command. */
export const RUN_SCENARIO = 'kpr.runScenario';
/** Client command: open the trace view (`ShowTraceArgs`). */
export const SHOW_TRACE = 'kpr.showTrace';
/** Client command: open a model library file at a 0-based line (`[file, line]`). */
export const OPEN_MODEL = 'kpr.openModel';
/** The only commands a hover's links may run (the client trusts exactly these). */
export const HOVER_COMMANDS = [SHOW_TRACE, OPEN_MODEL] as const;
export type HoverCommand = (typeof HOVER_COMMANDS)[number];

/** Arguments of `kpr.showTrace`: the document, the scenario, the side and the 0-based step. */
export type ShowTraceArgs = [uri: string, scenario: string, side: Side, step: number];

/** `kpr-model:/2.6.10/truncate.c` names the library file `2.6.10/truncate.c`. */
export const MODEL_SCHEME = 'kpr-model';

export function modelUri(file: string): string {
  return `${MODEL_SCHEME}:/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** The library path a `kpr-model:` uri names, or undefined for any other uri. */
export function modelPath(uri: string): string | undefined {
  const m = /^kpr-model:\/*(.*)$/.exec(uri);
  if (!m) return undefined;
  try {
    return m[1]!.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** `kpr-rule:/<id>.md`: the page about a rule that a diagnostic's code links to. */
export const RULE_SCHEME = 'kpr-rule';

/** The link a diagnostic of this rule carries. */
export function ruleHref(id: string): string {
  return `${RULE_SCHEME}:/${id}.md`;
}

/** The rule a `kpr-rule:` uri names, or undefined. */
export function ruleOfUri(uri: string): string | undefined {
  const m = /^kpr-rule:\/*([a-z0-9-]+)\.md$/.exec(uri);
  return m && isRuleId(m[1]!) ? m[1] : undefined;
}

/** What `kpr.listScenarios` answers, one per scenario. */
export interface ScenarioInfo {
  id: string;
  title: string;
  /** Whether the scenario's threads reach a function the document changes. */
  applies: boolean;
  /** A scenario from the workspace's scenario folder rather than the built-in catalog. */
  user?: boolean;
  /** What the model tier found with it on this version (`introduces invalidate-eio · fixes …`). */
  verdict?: string;
}

/** Whether the model tier has answered for this version ('analysing' until it has). */
export type ModelState = 'analysing' | 'done' | 'off';

export interface PlaceView {
  range: Range;
  message: string;
  scenarios: string[];
}

export interface StatusGroupView {
  status: Status;
  rules: { rule: string; places: PlaceView[] }[];
}

export interface MessageVerdictView {
  index: number;
  subject?: string;
  line: number;
  /** `fixes 5 · introduces 3 · still has 2 · not judged 0` */
  counts: string;
  /** The same with the rules named. */
  detail: string;
  verdict: VerdictSummary;
  groups: StatusGroupView[];
}

/** The `kpr/verdict` notification's parameters. */
export interface VerdictParams {
  uri: string;
  version: number;
  model: ModelState;
  messages: MessageVerdictView[];
}
