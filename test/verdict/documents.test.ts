// The verdict of documents as data (test/fixtures/verdict/README.md): each document in, the
// whole set of findings of both tiers, the verdict, the scenarios' runs and what its `given`
// asks (plans, one scenario run) out.
import { basename, join } from 'node:path';
import { expectedOf, tableTests } from '../support/table';
import { runCase, type Given } from './document-case';

tableTests('verdict', join(__dirname, '..', 'fixtures', 'verdict'), ['.patch', '.txt', '.mbox', '.eml'], async (c) => {
  // `given` is the case's input beside its document: echoed, so the whole file is compared.
  const given = ((expectedOf(c) as { given?: Given } | undefined)?.given) ?? {};
  return { given, ...(await runCase(c.text, basename(c.path), given)) };
});
