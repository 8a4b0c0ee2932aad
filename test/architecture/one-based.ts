/**
 * The forms by which engine code turns a 0-based position into a 1-based number for a message
 * (ARCHITECTURE.md: positions are 0-based in the engine, only the surfaces add 1). Read from the
 * source text with its comments removed, so it is a pattern check, not a data-flow analysis: it
 * finds
 *
 * - `+ 1` anywhere inside a template literal's `${…}` (`line ${nested + 1}`),
 * - a callback that adds 1 to what it is handed (`.map((l) => l + 1)`, `(p) => p.line + 1`),
 * - a name declared from an expression with `+ 1` in it and formatted within the next lines: in a
 *   `${…}`, joined (`.join(`), `String(…)`, or concatenated with a string literal
 *   (`const lines = ….map((l) => l + 1); … lines.join(', ')`). A `for (let i = x + 1; …)`
 *   counter is an index, not a number for a reader, and is left out.
 *
 * Limits: a `+ 1` written as `+1` on a name, `1 +`, `++`, or a value carried through a function
 * or a field before it is formatted, is not seen. Every hit is a violation unless the caller
 * allows it by its text, with a reason (test/architecture/invariants.test.ts).
 */

/** How many lines after a declaration its name is looked for in a format. */
const NEAR = 12;

/** Each 1-based form found in `code`, as the text that shows it (`${nested + 1}`, `=> l + 1`, `lines = …`). */
export function oneBasedForms(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\$\{([^}`]*\+\s*1\b[^}`]*)\}/g)) out.push(`\${${m[1]!.trim()}}`);
  for (const m of code.matchAll(/=>\s*([\w.]+\s*\+\s*1)\b(?=\s*[),;\n}])/g)) out.push(`=> ${m[1]!}`);
  for (const m of code.matchAll(/(\bfor\s*\(\s*)?\b(?:const|let|var)\s+(\w+)\s*=\s*([^;\n]*\+\s*1\b[^;\n]*);/g)) {
    if (m[1] !== undefined) continue;
    const name = m[2]!;
    const rest = code.slice(m.index! + m[0].length).split('\n').slice(0, NEAR).join('\n');
    const formatted = new RegExp(`\\$\\{[^}\`]*\\b${name}\\b[^}\`]*\\}|\\b${name}\\s*\\.\\s*join\\s*\\(|\\bString\\(\\s*${name}\\b|['"\`]\\s*\\+\\s*${name}\\b|\\b${name}\\s*\\+\\s*['"\`]`);
    if (formatted.test(rest)) out.push(`${name} = ${m[3]!.trim()}`);
  }
  return out;
}
