/**
 * Array helpers for inputs of any length. Spreading an array into a call's arguments
 * (`push(...xs)`, `Math.max(...xs)`) puts every element on the stack, and a large enough array
 * (a 10 MB patch's 50,000 hunk notes, a function of 200,000 locals) overflows it: an internal
 * error where the input deserved a report (issue 16). The architecture test forbids the spread
 * form in server/src; these loops take its place.
 */

/** Appends `items` to `target` in order, and returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const x of items) target.push(x);
  return target;
}

/** The least of `xs`, or Infinity for none (as `Math.min()` gives). */
export function minOf(xs: Iterable<number>): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

/** The greatest of `xs`, or -Infinity for none (as `Math.max()` gives). */
export function maxOf(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}
