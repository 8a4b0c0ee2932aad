import type { PatchDocument, IntakeProblem } from '../intake/types';
import type { PatchFunction } from './types';

/** Every function the document's hunks touch, and the functions pasted into its mails. */
export function extractFunctions(doc: PatchDocument): { functions: PatchFunction[]; problems: IntakeProblem[] } {
  void doc;
  return { functions: [], problems: [] };
}
