/**
 * What the model tier runs for a document: per message (the whole document outside mails; each
 * mail of an mbox series), its era, the functions it changes, the programs of its pre and post
 * sides, and the scenarios that apply. In a series, patch k's post is patch k+1's pre: each
 * message's bodies are carried into the programs of the later messages of the same era.
 * Mail code (a function pasted into a mail, `present`) has no pre side.
 *
 * A changed function whose hunks could not be placed on the era's library body (a `fragment`
 * side of a function the library has, DESIGN section 4) never runs: the library twin would run
 * in its place and the comparison would judge code the patch did not write. Every scenario whose
 * threads reach such a function is therefore `unjudged` (DESIGN section 8), not run.
 */
import type { PatchFunction } from '../functions/patch-function';
import type { PatchDocument } from '../intake/document';
import { libraryFunctions } from '../model/library/index';
import { makeProgram, type Program, type ProgramFunction } from '../model/program';
import { applicableScenarios } from '../scenarios/applicable';
import { BUILTIN_SCENARIOS } from '../scenarios/catalog';
import type { ScenarioSpec } from '../scenarios/spec';
import { chooseEra } from '../functions/era';
import type { Side } from '../findings';
import { libraryLayer, messageFunctions, patchLayer, runnableSide } from './side-program';

/** A scenario that reaches a changed function the patch's hunks could not be placed into. */
export interface UnjudgedScenario {
  scenario: ScenarioSpec;
  /** The unplaced function the scenario's threads reach, and its side(s) that are fragments. */
  fn: PatchFunction;
  sides: Side[];
}
import type { Abi } from '../lower/ctypes';

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
  /** Scenarios not run because they reach an unplaced changed function. */
  unjudged: UnjudgedScenario[];
  notes: string[];
}

/** The fragment sides of a function the patch changes (empty: both sides run). */
export function unplacedSides(fn: PatchFunction): Side[] {
  if (fn.hunks.length === 0) return [];
  return (['pre', 'post'] as const).filter((s) => (s === 'pre' ? fn.preOrigin : fn.postOrigin) === 'fragment');
}

/** The message plans of a document, in document order (messages with nothing to run are left out). */
export function planMessages(doc: PatchDocument, functions: readonly PatchFunction[], scenarios: readonly ScenarioSpec[] = BUILTIN_SCENARIOS, abi: Abi = 'lp64'): MessagePlan[] {
  const messages = [...new Set(functions.map((f) => f.message))].sort((a, b) => a - b);
  const carried = new Map<string, ProgramFunction[]>();
  const plans: MessagePlan[] = [];
  for (const message of messages) {
    const fns = messageFunctions(functions, message);
    const changed = fns.filter((f) => runnableSide(f, 'pre') || runnableSide(f, 'post')).map((f) => f.name);
    const era = chooseEra(doc, fns);
    if (!era) continue;
    // Only a function the library has can lie on a scenario's path.
    const modelled = libraryFunctions(era);
    const unplaced = fns.filter((f) => unplacedSides(f).length > 0 && modelled.has(f.name));
    if (changed.length === 0 && unplaced.length === 0) continue;
    const unjudged: UnjudgedScenario[] = [];
    for (const fn of unplaced) {
      for (const scenario of applicableScenarios([fn.name], era, scenarios)) {
        if (!unjudged.some((u) => u.scenario === scenario)) unjudged.push({ scenario, fn, sides: unplacedSides(fn) });
      }
    }
    const before = carried.get(era) ?? [];
    const pre = patchLayer(doc, fns, 'pre', abi, era);
    const post = patchLayer(doc, fns, 'post', abi, era);
    const lib = libraryLayer(era, abi);
    const isDiff = fns.some((f) => f.hunks.length > 0);
    const plan: MessagePlan = {
      message, era, functions: fns, changed,
      post: makeProgram(lib, before, pre.layer, post.layer),
      scenarios: applicableScenarios(changed, era, scenarios).filter((sc) => !unjudged.some((u) => u.scenario === sc)),
      unjudged,
      notes: [...pre.notes, ...post.notes],
    };
    if (isDiff) plan.pre = makeProgram(lib, before, pre.layer);
    plans.push(plan);
    carried.set(era, [...before, ...pre.layer, ...post.layer]);
  }
  return plans;
}
