// Starts the engine's worker (server/src/worker/worker.ts: the model tier's tasks)
// from its TypeScript source under tsx, for tests. Node 20 does not
// apply `--import tsx` to a worker's own entry file, so the entry is this plain module.
import { register } from 'tsx/esm/api';
register();
await import('../../server/src/worker/worker.ts');
