// The state keys of the revision bench/keys-ab.ts compares against: when bundled, this import
// resolves into a checkout of that revision.
export { StateKeys } from '../server/src/model/state-key';
