// The working tree's state keys as bench/keys-ab.ts measures them: when bundled, this import
// resolves into a copy of the working tree, not the code that keyed the recording search.
export { StateKeys } from '../server/src/model/state-key';
