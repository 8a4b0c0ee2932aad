// Starts the explorer's worker from its TypeScript source under tsx, with the test systems
// registered (tests only; the build bundles the engine's own worker, server/src/worker/worker.ts).
// Node 20 does not apply `--import tsx` to a worker's own entry file, so the entry is this plain module.
import { register } from 'tsx/esm/api';
register();
await import('./counters.ts');
await import('../../../server/src/explore/worker-loop.ts');
