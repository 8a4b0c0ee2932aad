// Starts the explorer's worker from its TypeScript source under tsx (tests only; the build
// bundles server/src/explore/worker.ts into server/dist/worker.js). Node 20 does not apply
// `--import tsx` to a worker's own entry file, so the entry is this plain module.
import { register } from 'tsx/esm/api';
register();
await import('../../../server/src/explore/worker.ts');
