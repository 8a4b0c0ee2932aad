/**
 * An access of a thread that has not reached memory yet, as the weak memory model queues it
 * (weak.ts). Its own module so the state, which holds the queues, need not import the model.
 */
import type { CType } from '../ir/step-program';

/** One access of a thread that has not reached memory (see weak.ts's header). */
export type WeakEntry =
  | { k: 'st'; loc: string; v: bigint }
  | { k: 'add'; loc: string; v: bigint }
  | { k: 'wmb' }
  /** A delayed load into `local` of the frame at `depth`, converted to `type`. */
  | { k: 'ld'; loc: string; depth: number; local: string; type: CType };
