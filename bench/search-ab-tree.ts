// The working tree's side of bench/search-ab.ts: when bundled, its build resolves this import
// into a copy of the working tree, a module graph of its own apart from the revision's.
export { prepare } from './search-ab-side';
