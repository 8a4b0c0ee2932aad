// Table-driven tests: a folder of cases, each a document and its whole expected output beside it
// (`NAME.ext` and `NAME.expected.json`). A family's runner computes the output of each document
// and compares it with the whole expected object, so an extra finding, an extra key or a missing
// one fails. Nothing is skipped: a document without its expected file fails, and so does an
// expected file without its document.
//
// Writing expectations: `KPR_WRITE_EXPECTED=1 node scripts/test.mjs <family>` writes the output
// each case computes into its expected file and still fails that case ("written: review it"), so
// a blessed output is read by a person and checked by the next plain run before it counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export const EXPECTED = '.expected.json';

export interface TableCase {
  /** The document's file name without its extension. */
  name: string;
  /** The document's path and text. */
  path: string;
  text: string;
  /** Where its expected output is (it may be missing: that case then fails). */
  expectedPath: string;
}

/** The cases of `dir`: every file ending in one of `exts`, by name. */
export function tableCases(dir: string, exts: readonly string[]): TableCase[] {
  return readdirSync(dir).filter((f) => exts.some((e) => f.endsWith(e))).sort().map((f) => {
    const ext = exts.find((e) => f.endsWith(e))!;
    const name = f.slice(0, -ext.length);
    const path = join(dir, f);
    return { name, path, text: readFileSync(path, 'utf8'), expectedPath: join(dir, name + EXPECTED) };
  });
}

/** The expected output of a case, or a loud failure when it has none. */
export function expectedOf(c: TableCase): unknown {
  if (!existsSync(c.expectedPath)) {
    if (process.env.KPR_WRITE_EXPECTED) return undefined;
    assert.fail(`${relative(process.cwd(), c.path)} has no expected output: write ${basename(c.expectedPath)} beside it (see the folder's README.md)`);
  }
  return JSON.parse(readFileSync(c.expectedPath, 'utf8'));
}

/** JSON as the expected files hold it: bigints as decimal strings, undefined members left out. */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** Compares a case's whole output with its expected file (or writes it, under KPR_WRITE_EXPECTED). */
export function assertExpected(c: TableCase, actual: unknown): void {
  const got = asJson(actual);
  const want = expectedOf(c);
  if (process.env.KPR_WRITE_EXPECTED && !isDeepEqual(got, want)) {
    writeFileSync(c.expectedPath, `${JSON.stringify(got, null, 2)}\n`);
    assert.fail(`written: review ${basename(c.expectedPath)} and run again without KPR_WRITE_EXPECTED`);
  }
  assert.deepEqual(got, want);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try { assert.deepEqual(a, b); return true; } catch { return false; }
}

/** One test per case, and one that every expected file in `dir` has its document. */
export function tableTests(family: string, dir: string, exts: readonly string[], run: (c: TableCase) => unknown | Promise<unknown>): void {
  const cases = tableCases(dir, exts);
  test(`${family} cases: the folder holds cases, and every expected file has its document`, () => {
    assert.ok(cases.length > 0, `no ${exts.join(' or ')} case in ${dir}`);
    const documents = new Set(cases.map((c) => c.name));
    const orphans = readdirSync(dir).filter((f) => f.endsWith(EXPECTED) && !documents.has(f.slice(0, -EXPECTED.length)));
    assert.deepEqual(orphans, [], 'an expected file whose document is gone (or has another extension)');
  });
  for (const c of cases) {
    test(`${family}: ${c.name}`, async () => assertExpected(c, await run(c)));
  }
}
