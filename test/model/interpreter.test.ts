// The interpreter and the invariants as data (test/fixtures/interpreter/README.md): each .c case
// in, its whole expected output out (thread results, the rules broken, the steps or the final
// state it shows).
import { join } from 'node:path';
import { tableTests } from '../support/table';
import { runCase } from './interpreter-case';

tableTests('interpreter', join(__dirname, '..', 'fixtures', 'interpreter'), ['.c'], (c) => runCase(c.text));
