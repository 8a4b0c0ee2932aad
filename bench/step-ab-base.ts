// The interpreter of the revision bench/step-ab.ts compares against: when bundled, its build
// resolves this import into a checkout of that revision (the whole model below it comes along).
export { Interpreter } from '../server/src/model/interpreter';
