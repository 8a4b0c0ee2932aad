// Finds the end-to-end tools that scripts/e2e-setup.sh installed, and decides what a missing tool
// means: a skip on a developer's machine, a failure in CI (unless KPR_E2E=0 opts out), so that CI
// can never pass by silently skipping the real-client proof.
import { spawnSync } from 'node:child_process';
import { seedPath, seedsSkip } from '../support/seeds';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';

export const repoRoot = join(__dirname, '..', '..');
export const artifactsDir = join(repoRoot, '.test-artifacts', 'e2e');
export const e2eHome = process.env.KPR_E2E_HOME || join(homedir(), '.cache', 'kpr-e2e');

/** What the setup script writes into `installed.json`; every field is an absolute path. */
export interface Tools {
  node: string;
  nodeDir: string;
  codeServer: string;
  playwrightCore: string;
  chromium: string;
  nvim: string;
}

/** True when a missing tool must fail the run instead of skipping it. */
export const e2eRequired = !!process.env.CI && process.env.KPR_E2E !== '0';

/** Skips the test with `reason`, or fails it when CI requires the end-to-end tests. */
export function missing(t: TestContext, reason: string): void {
  const why = `${reason} (run scripts/e2e-setup.sh; KPR_E2E_HOME=${e2eHome})`;
  if (e2eRequired) throw new Error(`end-to-end tool missing in CI: ${why}; set KPR_E2E=0 to opt out`);
  t.skip(why);
}

/** Looks an executable up on PATH, the way a shell would. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** The installed tools, or a sentence saying which one is missing. */
export function loadTools(need: readonly (keyof Tools)[]): Tools | string {
  const marker = join(e2eHome, 'installed.json');
  if (!existsSync(marker)) return `no completed install: ${marker} is absent`;
  let tools: Tools;
  try {
    tools = JSON.parse(readFileSync(marker, 'utf8')) as Tools;
  } catch (err) {
    return `${marker} does not parse: ${String(err)}`;
  }
  for (const key of need) {
    const p = tools[key];
    if (!p || !existsSync(p)) return `${key} not found (${p ?? 'no entry'} in ${marker})`;
  }
  return tools;
}

/** Rejects after `ms`: every wait in these tests is bounded so a broken client fails, not hangs. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The diagnostic the fixture test/fixtures/e2e/broken.patch must yield (see its README). */
export const BROKEN = {
  file: join(repoRoot, 'test', 'fixtures', 'e2e', 'broken.patch'),
  rule: 'patch-syntax',
  /** 1-based, as editors show it: the last body line of the cut-off hunk. */
  line: 20,
  headerLine: 15,
  message: /hunk cut off/,
};

/** The quick-fix fixture test/fixtures/e2e/parentheses.patch (see its README). */
export const PARENTHESES = {
  file: join(repoRoot, 'test', 'fixtures', 'e2e', 'parentheses.patch'),
  /** 1-based: the added line `+\tmax = size << order + 1;`. */
  line: 17,
  action: 'Parenthesise order + 1 (as gcc suggests)',
  after: '+\tmax = size << (order + 1);',
  /** 1-based: the Signed-off-by trailer, which must not look like a removed line. */
  trailerLine: 7,
};

/** Seed 000 of the shared corpus (test/support/seeds.ts), or undefined where there is none outside CI. */
export function seed000(): string | undefined {
  return seedsSkip() ? undefined : seedPath('000');
}

/** 1-based number of the first line of `file` that matches `re`; throws when none does. */
export function lineOf(file: string, re: RegExp): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${file}: no line matches ${re}`);
  return i + 1;
}

/**
 * What the model tier must show for seed 000 (the O_DIRECT/invalidate_inode_pages2 -EIO patch).
 * The patch makes generic_file_direct_IO return invalidate_inode_pages2's failure; in
 * dio-write-vs-mmap-write a store through the mapping dirties the pte while dio is inside the
 * direct_IO call, the invalidation's own unmap hands that dirt to the page's ext3 buffers, the
 * page cannot be dropped, and -EIO comes back although no user pinned the page: `invalidate-eio`,
 * introduced, with its race window where the engine finds it. (In dio-write-vs-fault a
 * re-mapping fault no longer fails the invalidation: 2.6.10's invalidate_complete_page has no
 * count check, so that race leaves a mapped page that is not uptodate instead.) Lines are found
 * in the seed's text or the engine's report, not hard-coded, so the expectation follows the seed file.
 */
export function seed000Expectation(file: string) {
  const rule = 'invalidate-eio';
  const scenario = 'dio-write-vs-mmap-write';
  const status = 'introduced';
  const engine = engineReport(file);
  const findings = engine.findings;
  const found = findings.find((x) => x.rule === rule && x.status === status && (x.scenarios ?? [x.scenario]).includes(scenario));
  if (!found) throw new Error(`seed 000: the engine reports no ${rule} [${status}] in ${scenario}`);
  return {
    workspaceName: 'seed-000.patch',
    rule,
    scenario,
    status,
    /**
     * Where the diagnostic starts (1-based), which the editor must show: the statement where the
     * engine's race window opens (`window.from`, the diagnostic's one-statement range), else the finding's line.
     */
    line: found.window?.from ?? found.line,
    /** A line inside the race window, its second when it has two. */
    hoverLine: found.window && found.window.to > found.window.from ? found.window.from + 1 : (found.window?.from ?? found.line),
    /** The changed function that holds the finding, whose code lens must carry the verdict, and its definition's line. */
    ...functionHolding(file, engine.functions.map((f) => f.name), found.line),
    /**
     * Every rule the engine finds broken on the post side of the scenario: Run Scenario shows one
     * witness per side, which may break another of them than the diagnostic's rule.
     */
    postRules: [...new Set(findings.filter((x) => x.status !== 'fixed' && (x.scenarios ?? [x.scenario]).includes(scenario)).map((x) => x.rule))],
    /** The window's thread and the one that gets in (the run may spawn more, e.g. an I/O completion). */
    threads: ['dio', 'store'],
  };
}

interface JsonFinding { rule: string; status: string; scenario?: string; scenarios?: string[]; line: number; window?: { from: number; to: number } }

/**
 * The findings the engine reports for seed 000 (`kpr check --format json` of the built CLI): the
 * browser tests prove that the editor shows what the engine found, where it found it; where the
 * window lies is the engine's tests' business (test/verdict, test/corpus).
 */
function engineReport(file: string): { findings: JsonFinding[]; functions: { name: string }[] } {
  const out = spawnSync(process.execPath, [join(repoRoot, 'server', 'dist', 'kpr.js'), 'check', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return (JSON.parse(out.stdout) as { documents: { findings: JsonFinding[]; functions: { name: string }[] }[] }).documents[0]!;
}

/**
 * Of the changed functions the engine names, the one whose definition comes last before `line`
 * in the patch text: a diff line (' ', '+' or '-') that starts with the type and names it before
 * a '(' (prose and comments that mention the name do not start with a word after the marker).
 */
export function functionHolding(file: string, names: readonly string[], line: number): { functionName: string; functionLine: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  let best: { functionName: string; functionLine: number } | undefined;
  for (const name of names) {
    const def = new RegExp(`^[ +-](?:\\w[\\w \\t*]*[ \\t*])?${name}\\s*\\(`);
    const i = lines.findIndex((l) => def.test(l));
    if (i >= 0 && i + 1 <= line && (!best || i + 1 > best.functionLine)) best = { functionName: name, functionLine: i + 1 };
  }
  if (!best) throw new Error(`${file}: no changed function (${names.join(', ')}) is defined before line ${line}`);
  return best;
}
