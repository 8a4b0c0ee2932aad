// Build step (scripts/build.mjs bundles this beside the engine, runs it, and removes it): finds
// where the bundled library's functions lie by parsing it as the engine does, and writes that
// beside it (server/dist/library/spans.json, model/library/spans.ts), so that a process reads the
// library without parsing it. Run from server/dist: the library it hashes is the copy shipped there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParser } from '../server/src/c/parser';
import { readEngineAssets, SPANS_FILE } from '../server/src/engine-assets';
import { installLibrary, libraryErrors, librarySpans } from '../server/src/model/library/index';

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
}

main().catch((err) => {
  process.stderr.write(`library-spans: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
