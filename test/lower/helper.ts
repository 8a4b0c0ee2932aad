/** Lowers C written in a test: a whole function whose line i sits at document line i + `at`. */
import { ctextFromLines } from '../../server/src/functions/extract';
import { lowerFunction } from '../../server/src/lower/lower';
import type { Step } from '../../server/src/ir/step-program';

export function lowerC(code: string, at = 0, whole = true) {
  const lines = code.replace(/\n$/, '').split('\n').map((text, i) => ({ text, line: i + at, character: 1 }));
  return lowerFunction({ c: ctextFromLines(lines), whole });
}

/** A compact spelling of a step program, one string per step: `call f>3`, `branch>1|4`, `jump>0`. */
export function shape(steps: Step[]): string[] {
  return steps.map((s) => {
    switch (s.op) {
      case 'call': return `call ${s.callee}>${s.next}`;
      case 'assign': return `assign>${s.next}`;
      case 'declare': return `declare ${s.name}>${s.next}`;
      case 'branch': return `branch>${s.then}|${s.else}`;
      case 'jump': return `${s.kind ?? 'jump'}>${s.to}`;
      case 'return': return 'return';
    }
  });
}
