// The working tree's interpreter as bench/step-ab.ts measures it: when bundled, its build resolves
// this import into a copy of the working tree, so that the code measured is not the code that
// ran the recording search (whose JIT feedback would favour it), just as the revision's is not.
export { Interpreter } from '../server/src/model/interpreter';
