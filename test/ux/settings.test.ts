// The server reads the new settings in each shape LSP clients send them (server/src/lsp/settings.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_SCENARIOS } from '../../server/src/scenarios/catalog';
import { DEFAULT_SETTINGS, MAX_BOUNDS, MAX_DOCUMENT_MS, readSettings } from '../../server/src/lsp/settings';
import { readStaticBounds, STATIC_MAX } from '../../server/src/lsp/static-bounds';
import { ABIS } from '../../server/src/lower/ctypes';

const shapes: [string, unknown][] = [
  ['VS Code initializationOptions', { bounds: { preemptions: 3, states: 5000, ms: 90000 }, tiers: { model: false }, scenarioFolder: 'scen', userScenarios: false, abi: 'ilp32', memoryModel: 'weak' }],
  ['workspace/configuration section', { kpr: { bounds: { preemptions: 3, states: 5000, ms: 90000 }, tiers: { model: false }, scenarioFolder: 'scen', userScenarios: false, abi: 'ilp32', memoryModel: 'weak' } }],
  ['flat dotted keys', { 'kpr.bounds.preemptions': 3, 'kpr.bounds.states': 5000, 'kpr.bounds.ms': 90000, 'kpr.tiers.model': false, 'kpr.scenarioFolder': 'scen', 'kpr.userScenarios': false, 'kpr.abi': 'ilp32', 'kpr.memoryModel': 'weak' }],
];
for (const [name, raw] of shapes) {
  test(`settings from ${name}`, () => {
    assert.deepEqual(readSettings(raw, DEFAULT_SETTINGS, 'initialization'), { debounceMs: 200, bounds: { preemptions: 3, states: 5000, ms: 90000 }, modelTier: false, scenarioFolder: 'scen', userScenarios: false, abi: 'ilp32', memoryModel: 'weak' });
  });
}

test('bad or missing values keep the previous settings', () => {
  const before = readSettings({ userScenarios: false }, DEFAULT_SETTINGS, 'initialization');
  assert.deepEqual(readSettings({ bounds: { preemptions: -1, states: 'many' }, tiers: { model: 'yes' }, scenarioFolder: '  ', abi: 'i386', memoryModel: 'tso' }, before), before);
  // A configuration pull never carries userScenarios (trust is not a setting): it must survive one.
  assert.equal(readSettings({ kpr: { debounceMs: 50 } }, before).userScenarios, false);
  assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
});

test('kpr.bounds.ms stays within a second and ten minutes, whatever a workspace sets', () => {
  assert.equal(readSettings({ bounds: { ms: 1e12 } }).bounds.ms, 600_000);
  assert.equal(readSettings({ bounds: { ms: 5 } }).bounds.ms, 1000);
  assert.equal(readSettings({ bounds: { ms: Infinity } }).bounds.ms, DEFAULT_SETTINGS.bounds.ms);
});

test('only initialization decides whether user scenarios run: workspace settings cannot lift restricted mode', () => {
  const restricted = readSettings({ userScenarios: false }, DEFAULT_SETTINGS, 'initialization');
  assert.equal(readSettings({ kpr: { userScenarios: true } }, restricted).userScenarios, false);
  assert.equal(readSettings({ 'kpr.userScenarios': true }, restricted, 'configuration').userScenarios, false);
});

// The editor and `kpr check` must give the same verdicts: the editor's default bounds (server and
// manifest) are the built-in scenarios' own.
test('default bounds: the server, the manifest and the scenario catalog agree', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
  const props = manifest.contributes.configuration.properties;
  for (const sc of BUILTIN_SCENARIOS) {
    assert.equal(DEFAULT_SETTINGS.bounds.preemptions, sc.bounds.preemptions, sc.id);
    assert.equal(DEFAULT_SETTINGS.bounds.states, sc.bounds.states, sc.id);
  }
  assert.equal(props['kpr.bounds.preemptions']!.default, DEFAULT_SETTINGS.bounds.preemptions);
  assert.equal(props['kpr.bounds.states']!.default, DEFAULT_SETTINGS.bounds.states);
  // Like `kpr check` without --memory-model, the editor runs under sequential consistency.
  assert.equal(props['kpr.memoryModel']!.default, DEFAULT_SETTINGS.memoryModel);
  assert.equal(DEFAULT_SETTINGS.memoryModel, 'sc');
});

test('kpr.abi: the manifest offers exactly the ABIs the lowering knows, with the server\'s default', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> } } };
  const abi = manifest.contributes.configuration.properties['kpr.abi']!;
  assert.deepEqual(abi.enum, [...ABIS]);
  assert.equal(abi.default, DEFAULT_SETTINGS.abi);
});

// An untrusted workspace may set the bounds (they are not restricted settings): each stays finite,
// and the manifest's maximum is the server's, so the settings editor warns where the server cuts.
test('workspace bounds are cut to their maxima, and the manifest states the same maxima', () => {
  const huge = { bounds: { preemptions: 1e9, states: 1e15, ms: 1e12 }, static: { maxSizeKb: 1e9, maxMs: 1e12 } };
  const s = readSettings(huge);
  assert.deepEqual(s.bounds, { preemptions: MAX_BOUNDS.preemptions, states: MAX_BOUNDS.states, ms: MAX_DOCUMENT_MS });
  assert.deepEqual(readStaticBounds(huge), STATIC_MAX);
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { maximum?: number }> } } };
  const max = (k: string) => manifest.contributes.configuration.properties[k]!.maximum;
  assert.deepEqual(
    [max('kpr.bounds.preemptions'), max('kpr.bounds.states'), max('kpr.bounds.ms'), max('kpr.static.maxSizeKb'), max('kpr.static.maxMs')],
    [MAX_BOUNDS.preemptions, MAX_BOUNDS.states, MAX_DOCUMENT_MS, STATIC_MAX.maxSizeKb, STATIC_MAX.maxMs],
  );
});
