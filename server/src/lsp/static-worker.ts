/**
 * Entry of the static tier's worker thread (bundled as server/dist/static-worker.js): the
 * explorer's worker loop (explore/worker-loop.ts, its message protocol and cancel flag) with the
 * static task registered. A bundle of its own because the engine's worker entry
 * (worker/worker.ts) registers the model tier's tasks only; the loop and registry are shared.
 */
import { useEngineAssets } from '../analysis';
import { readEngineAssets } from '../engine-assets';
import { registerTask } from '../explore/registry';
import { STATIC_TASK, staticTask, type StaticParams } from './static-task';
import '../explore/worker-loop';

useEngineAssets(readEngineAssets());
registerTask(STATIC_TASK, (params, signal, onProgress) => staticTask(params as StaticParams, signal, onProgress));
