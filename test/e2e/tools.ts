// Finds the end-to-end tools that scripts/e2e-setup.sh installed, and decides what a missing tool
// means: a skip on a developer's machine, a failure in CI (unless KPR_E2E=0 opts out), so that CI
// can never pass by silently skipping the real-client proof.
import { existsSync, readFileSync } from 'node:fs';
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
