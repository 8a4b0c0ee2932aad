// The seeds (DESIGN section 11: five real kernel mails) are the ground truth, kept outside the
// repository: ../shared/seeds beside it, or the folder KPR_SEEDS names. This is the one place
// that folder is named. In CI (the CI variable set) a missing folder fails every test that needs
// it; elsewhere such a test is skipped, and the run says so on stderr once.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

export const seedsDir = process.env.KPR_SEEDS || join(repoRoot, '..', 'shared', 'seeds');

const inCi = !!process.env.CI && process.env.CI !== 'false';
const present = existsSync(seedsDir);
let warned = false;

/**
 * The `skip` option of a test that needs the seeds: false where they are, or in CI (the test
 * then fails reading them); elsewhere the reason it is skipped, said once on stderr too.
 */
export function seedsSkip(): string | false {
  if (present || inCi) return false;
  const why = `seeds not found at ${seedsDir} (set KPR_SEEDS): tests that need them are SKIPPED`;
  if (!warned) { warned = true; process.stderr.write(`warning: ${why}\n`); }
  return why;
}

/** The seed files (NNN_*.txt), sorted; none where the folder is missing outside CI, an error in CI. */
export function seedNames(): string[] {
  if (seedsSkip()) return [];
  return readdirSync(seedsDir).filter((n) => /^\d{3}_.*\.txt$/.test(n)).sort();
}

/** The path of the seed whose name starts with `prefix` (e.g. '003'); a path that names what is missing otherwise. */
export function seedPath(prefix: string): string {
  const name = seedNames().find((n) => n.startsWith(`${prefix}_`));
  return join(seedsDir, name ?? `${prefix}_missing`);
}
