/** Test helpers: programs built from an era library or from small C functions written in a test, and scenario shorthands. */
import { initEngine } from '../support/engine';
import type { CText } from '../../server/src/functions/patch-function';
import { lowerFunction } from '../../server/src/lower/lower';
import { libraryLayer as loadLibraryLayer } from '../../server/src/verdict/side-program';
import type { ProgramFunction, Program } from '../../server/src/model/program';
import { makeProgram } from '../../server/src/model/program';
import type { ScenarioSpec, ThreadSpec, PageSpec } from '../../server/src/scenarios/spec';
import type { RuleId } from '../../server/src/findings';

/** Every function of an era library, lowered (the model tier's own loader, once the parser is ready). */
export async function libraryLayer(era: string): Promise<ProgramFunction[]> {
  await initEngine();
  return loadLibraryLayer(era);
}

/** Small C functions of a test, lowered as patch code. */
export async function cLayer(...functions: string[]): Promise<ProgramFunction[]> {
  await initEngine();
  return functions.map((code) => {
    const lines = code.replace(/^\n/, '').split('\n');
    const c: CText = { text: lines.join('\n'), map: lines.map((_, i) => ({ line: i, character: 0 })), source: { kind: 'document' } };
    const r = lowerFunction({ c, whole: true });
    if (!r.ir) throw new Error(`does not lower: ${JSON.stringify(r.notes)}`);
    return { ir: r.ir, source: 'patch' as const, lines };
  });
}

export async function program(era: string | undefined, ...functions: string[]): Promise<Program> {
  return makeProgram(era ? await libraryLayer(era) : [], await cLayer(...functions));
}

export function scenario(threads: ThreadSpec[], pages: PageSpec[], invariants: RuleId[], more: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    id: 'test', title: 'test', doc: 'test', fs: 'ext3', file: { size: 4096 * Math.max(1, pages.length), pages },
    threads, invariants, bounds: { preemptions: 3, states: 10_000, depth: 500 }, epilogue: false, ...more,
  };
}
