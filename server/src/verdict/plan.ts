/**
 * What the model tier runs for a document: per message (the whole document outside mails; each
 * mail of an mbox series), its era, the functions it changes, the programs of its pre and post
 * sides, and the scenarios that apply. In a series, patch k's post is patch k+1's pre: each
 * message's bodies are carried into the programs of the later messages of the same era.
 * Mail code (a function pasted into a mail, `present`) has no pre side.
 */
import type { PatchFunction } from '../functions/types';
import type { PatchDocument } from '../intake/types';
import { makeProgram, type Program, type ProgramFunction } from '../model/program';
import { applicableScenarios } from '../scenarios/applicable';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import type { ScenarioSpec } from '../scenarios/types';
import { chooseEra } from '../model/library/era';
import { libraryLayer, messageFunctions, patchLayer, runnableSide } from './program';

export interface MessagePlan {
  message: number;
  era: string;
  functions: PatchFunction[];
  /** Names of the functions whose code this message runs on some side. */
  changed: string[];
  /** Undefined for mail code: there is nothing to compare with. */
  pre?: Program;
  post: Program;
  scenarios: ScenarioSpec[];
  notes: string[];
}

/** The message plans of a document, in document order (messages with nothing to run are left out). */
export function planMessages(doc: PatchDocument, functions: readonly PatchFunction[], scenarios: readonly ScenarioSpec[] = BUILTIN_SCENARIOS): MessagePlan[] {
  const messages = [...new Set(functions.map((f) => f.message))].sort((a, b) => a - b);
  const carried = new Map<string, ProgramFunction[]>();
  const plans: MessagePlan[] = [];
  for (const message of messages) {
    const fns = messageFunctions(functions, message);
    const changed = fns.filter((f) => runnableSide(f, 'pre') || runnableSide(f, 'post')).map((f) => f.name);
    if (changed.length === 0) continue;
    const era = chooseEra(doc, fns);
    if (!era) continue;
    const before = carried.get(era) ?? [];
    const pre = patchLayer(doc, fns, 'pre');
    const post = patchLayer(doc, fns, 'post');
    const lib = libraryLayer(era);
    const isDiff = fns.some((f) => f.hunks.length > 0);
    const plan: MessagePlan = {
      message, era, functions: fns, changed,
      post: makeProgram(lib, before, pre.layer, post.layer),
      scenarios: applicableScenarios(changed, era, scenarios),
      notes: [...pre.notes, ...post.notes],
    };
    if (isDiff) plan.pre = makeProgram(lib, before, pre.layer);
    plans.push(plan);
    carried.set(era, [...before, ...pre.layer, ...post.layer]);
  }
  return plans;
}
