/**
 * The status bar's words for the active patch, from the server's `kpr/verdict` notification
 * (server/src/lsp/verdict-view.ts): the verdict counted by rule over the document's messages. It
 * says "analysing…" from the moment a document is opened or edited until the model tier has
 * answered for that version, so a patch is never called clean on the static tier alone. Pure, so
 * it can be tested without VS Code.
 */
import type { VerdictParams } from '../../server/src/protocol';

export type Activity = { kind: 'idle' } | { kind: 'analysing' } | { kind: 'running'; scenario: string };

type Bucket = 'fixes' | 'introduces' | 'narrows' | 'widens' | 'remains' | 'unjudged';

const WORDS: [Bucket, string][] = [
  ['introduces', 'introduces'],
  ['widens', 'widens'],
  ['remains', 'still has'],
  ['narrows', 'narrows'],
  ['fixes', 'fixes'],
  ['unjudged', 'not judged'],
];

/** Rules per bucket over every message of the document, each rule once. */
export function documentRules(v: Pick<VerdictParams, 'messages'>): Record<Bucket, string[]> {
  const out: Record<Bucket, string[]> = { fixes: [], introduces: [], narrows: [], widens: [], remains: [], unjudged: [] };
  for (const m of v.messages) for (const [k] of WORDS) for (const r of m.verdict[k]) if (!out[k].includes(r)) out[k].push(r);
  return out;
}

export function statusText(verdict: VerdictParams | undefined, activity: Activity): { text: string; tooltip: string } {
  if (activity.kind === 'running') return { text: `$(sync~spin) kpr: running ${activity.scenario}…`, tooltip: 'A scenario is running on the model' };
  if (!verdict || activity.kind === 'analysing') return { text: '$(sync~spin) kpr: analysing…', tooltip: 'Kernel Patch Reasoner is analysing this patch' };
  const rules = documentRules(verdict);
  const shown = WORDS.filter(([k]) => rules[k].length > 0).map(([k, w]) => `${w} ${rules[k].length}`);
  const detail = WORDS.filter(([k]) => rules[k].length > 0).map(([k, w]) => `${w}: ${rules[k].join(', ')}`);
  const state = verdict.model === 'analysing' ? 'The model tier is still running: these are the static findings (and stale model findings).' : verdict.model === 'off' ? 'The model tier is off: static findings only.' : 'Static and model tiers have answered.';
  const tooltip = [`Patch verdict, counted by rule${verdict.messages.length > 1 ? ` over ${verdict.messages.length} messages` : ''}:`, ...(detail.length > 0 ? detail : ['nothing found']), state, 'Click for the Patch Verdict view.'].join('\n');
  const counts = shown.length > 0 ? shown.join(' · ') : 'nothing found';
  if (verdict.model === 'analysing') return { text: `$(sync~spin) kpr: analysing… ${counts}`, tooltip };
  const bad = rules.introduces.length + rules.widens.length > 0;
  return { text: `${bad ? '$(bug)' : '$(check)'} kpr: ${counts}${verdict.model === 'off' ? ' (static only)' : ''}`, tooltip };
}
