/**
 * Entry of the engine's worker thread (bundled as server/dist/worker.js): the explorer's worker
 * loop with the model tier's tasks registered.
 *
 * The loop starts only once the C parser has loaded: every task lowers C, and a task that arrives
 * first then finds the parser ready (messages posted meanwhile wait in the port's queue; a
 * MessagePort delivers nothing until a listener is attached). A failed load still starts the loop:
 * the tasks then fail one by one with the parser's error instead of the worker never answering.
 */
import { initAnalysis, useEngineAssets } from '../analysis';
import { readEngineAssets } from '../engine-assets';
import './model-tasks';

useEngineAssets(readEngineAssets());
void initAnalysis()
  .catch(() => undefined)
  .then(() => import('../explore/worker-loop.js'));
