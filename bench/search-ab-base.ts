// The revision's side of bench/search-ab.ts: when bundled, its build resolves this import into
// a checkout of that revision's server/src, with the working tree's search-ab-side.ts beside it.
export { prepare } from './search-ab-side';
