/**
 * The library's audit against the real source (README.md beside the era libraries, "Audit
 * against the real source") is complete: every function each layer's C defines, listed by the
 * project's own parser, has a row under that layer saying which release it was checked against
 * and what the simplification leaves out; and no row names a function its layer does not define.
 * Scenario drivers are rows whose "checked against" is `not kernel code`, and only functions of a
 * layer's drivers.c may be waved through that way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../support/engine';
import { eras, layerFunctions } from '../../server/src/model/library/index';

const README = join(__dirname, '../../server/src/model/library/README.md');
const NOT_KERNEL = 'not kernel code';

interface AuditRow { line: number; functions: string[]; layer: string; checked: string; leftOut: string }

/** The rows of the audit table: the first table after the section's heading. */
function auditRows(text: string): AuditRow[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## Audit against the real source'));
  assert.ok(start >= 0, 'README has the audit section');
  const rows: AuditRow[] = [];
  let inTable = false;
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const l = lines[i]!;
    if (!l.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    assert.equal(cells.length, 4, `README line ${i + 1}: four cells`);
    const [names, layer, checked, leftOut] = cells as [string, string, string, string];
    if (names === 'function' || /^-+$/.test(names)) continue;
    const functions = [...names.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]!);
    rows.push({ line: i + 1, functions, layer, checked, leftOut });
  }
  return rows;
}

test('every library function has an audit row under the layer that writes it, and every row names one', async () => {
  await initEngine();
  const rows = auditRows(readFileSync(README, 'utf8'));
  const missing: string[] = [];
  const stale: string[] = [];
  const empty: string[] = [];
  const layers = eras();
  for (const row of rows) {
    if (!layers.includes(row.layer)) stale.push(`line ${row.line}: no layer "${row.layer}"`);
    if (row.functions.length === 0) stale.push(`line ${row.line}: names no function`);
    if (!row.checked || /not yet/i.test(row.checked) || !row.leftOut) empty.push(`line ${row.line}`);
  }
  for (const layer of layers) {
    const defined = layerFunctions(layer);
    for (const [name, fn] of defined) {
      const own = rows.filter((r) => r.layer === layer && r.functions.includes(name));
      if (own.length === 0) missing.push(`${layer} ${name} (${fn.file})`);
      for (const r of own) {
        if (r.checked === NOT_KERNEL && !/\/drivers\.c(\.patch)?$/.test(fn.file)) stale.push(`line ${r.line}: ${name} is kernel code (${fn.file})`);
      }
    }
    for (const row of rows.filter((r) => r.layer === layer)) {
      for (const name of row.functions) {
        // A row may name kernel identifiers in its prose cell, never in its function cell.
        if (!defined.has(name)) stale.push(`line ${row.line}: layer ${layer} does not define ${name}`);
      }
    }
  }
  assert.deepEqual({ missing, stale, empty }, { missing: [], stale: [], empty: [] });
});

test('the drivers of each layer are listed as not kernel code, and the kernel functions are not', async () => {
  await initEngine();
  const rows = auditRows(readFileSync(README, 'utf8'));
  const drivers = rows.filter((r) => r.checked === NOT_KERNEL).flatMap((r) => r.functions.map((f) => `${r.layer} ${f}`)).sort();
  assert.deepEqual(drivers, [
    '2.5.70 get_user_pages_pin', '2.5.70 kpr_epilogue', '2.5.70 sys_munmap', '2.5.70 sys_truncate', '2.5.70 user_address',
    '2.5.70 user_fault', '2.5.70 user_store', '2.6.10 nfs_revalidate', '2.6.10 sys_dio_write', '2.6.10 sys_read',
    '2.6.10 writeback_one', '2.6.18 sys_truncate',
  ]);
});
