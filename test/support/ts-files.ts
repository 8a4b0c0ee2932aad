// The TypeScript sources under a folder, for tests that read the code itself (architecture,
// security): one walker, sorted, so their reports are stable.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  (function walk(d: string): void {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(p);
    }
  })(dir);
  return out.sort();
}
