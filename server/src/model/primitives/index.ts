/**
 * The registry of primitives by name. A name the registry lacks and the program does not define is
 * an unknown call: the interpreter gives it a nondeterministic result and an `unmodeled` note.
 */
import { aioPrimitives } from './aio';
import { barrierPrimitives } from './barriers';
import { cachePrimitives } from './cache';
import { lockPrimitives } from './locks';
import { mappingPrimitives } from './mapping';
import { pagePrimitives } from './pages';
import type { Primitive } from './primitive';
import { ptePrimitives } from './ptes';
import { writebackPrimitives } from './writeback';

export const PRIMITIVES: ReadonlyMap<string, Primitive> = new Map(
  [...pagePrimitives, ...cachePrimitives, ...mappingPrimitives, ...writebackPrimitives, ...lockPrimitives, ...aioPrimitives, ...ptePrimitives, ...barrierPrimitives].map(
    (p) => [p.name, p] as const,
  ),
);

export function primitive(name: string): Primitive | undefined {
  return PRIMITIVES.get(name);
}
