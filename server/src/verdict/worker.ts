/**
 * Entry of the engine's worker thread (bundled as server/dist/worker.js): the explorer's worker
 * loop with the model tier's tasks registered.
 */
import './tasks';
import '../explore/worker';
