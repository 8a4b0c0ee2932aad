import type { PatchDocument } from '../intake/types';
import type { PatchFunction } from '../functions/types';
import type { Finding } from '../findings';

/** The static tier: flow-sensitive checks on the pre and post bodies, with statuses from comparing them. */
export function runStaticRules(doc: PatchDocument, functions: PatchFunction[]): Finding[] {
  void doc;
  void functions;
  return [];
}
