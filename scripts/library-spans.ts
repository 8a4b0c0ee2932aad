// Build step (scripts/build.mjs bundles this beside the engine, runs it, and removes it): reads the
// bundled library once as a process would and writes beside it what every process would otherwise
// compute again: where its functions lie (server/dist/library/spans.json, model/library/spans.ts),
// found by parsing it as the engine does, and every era's functions lowered to step programs for
// the default data model (server/dist/library/lowered.bin, verdict/lowered-library.ts). Run from
// server/dist: the library it hashes is the copy shipped there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParser } from '../server/src/c/parser';
import { readEngineAssets, SPANS_FILE } from '../server/src/engine-assets';
import { eras, installedLibraryHash, installLibrary, libraryErrors, librarySpans } from '../server/src/model/library/index';
import { encodeLoweredLibrary, LOWERED_FILE, type LoweredLibrary } from '../server/src/verdict/lowered-library';
import { lowerLibrary } from '../server/src/verdict/side-program';

async function main(): Promise<void> {
  const assets = readEngineAssets();
  if ('error' in assets.wasm) throw new Error(assets.wasm.error);
  await initParser(assets.wasm);
  installLibrary(assets.library);
  const spans = librarySpans();
  // A library that does not compose is reported by its own tests; its spans are still what a parse finds.
  const errors = libraryErrors();
  if (errors.length) process.stderr.write(`library-spans: the library has ${errors.length} load error(s); spans written anyway\n`);
  writeFileSync(join(__dirname, 'library', SPANS_FILE), JSON.stringify(spans));
  const lowered: LoweredLibrary = { hash: installedLibraryHash(), abi: 'lp64', eras: {} };
  for (const era of eras()) lowered.eras[era] = lowerLibrary(era, 'lp64');
  writeFileSync(join(__dirname, 'library', LOWERED_FILE), encodeLoweredLibrary(lowered));
}

main().catch((err) => {
  process.stderr.write(`library-spans: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
