/**
 * Writes the generated inputs behind the README's reliability figures (issue 16):
 *   npx tsx test/intake/hostile-inputs.ts DIR
 * patch-1mb.diff, patch-10mb.diff and patch-50mb.diff (1, 10 and 50 million bytes: unified diffs of many small hunks in one file),
 * locals-200k.diff (one hunk adding a function with 200,000 locals), braces-100k.diff (one hunk
 * of 100,000 nested blocks), patch-1mb-base64.eml, and patch-10mb-base64.eml / patch-10mb-qp.eml
 * (the 1 and 10 MB patches as a base64 attachment, the 10 MB one as a quoted-printable body). Not a test: nothing here is asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE_HEAD = ['--- a/mm/filemap.c', '+++ b/mm/filemap.c'];

/** Hunks of about 200 bytes each, at increasing lines of one file, until `bytes` are written. */
function manyHunks(bytes: number): string {
  const out = [...FILE_HEAD];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const at = 10 + i * 10;
    const hunk = [`@@ -${at},3 +${at + i},4 @@ static int helper_${i}(struct page *page)`, ' {', `-\tint err = do_one(page, ${i});`, `+\tint err;`, `+\terr = do_one(page, ${i});`, ' \treturn err;'];
    for (const l of hunk) size += l.length + 1;
    out.push(...hunk);
  }
  return `${out.join('\n')}\n`;
}

function locals(n: number): string {
  const body = Array.from({ length: n }, (_, i) => `+\tint v${i} = ${i};`);
  return `${[...FILE_HEAD, `@@ -0,0 +1,${n + 3} @@`, '+static int many_locals(void)', '+{', ...body, '+}'].join('\n')}\n`;
}

function braces(n: number): string {
  const open = Array.from({ length: n }, () => '+{');
  const close = Array.from({ length: n }, () => '+}');
  return `${[...FILE_HEAD, `@@ -0,0 +1,${2 * n + 3} @@`, '+static void deep(void)', '+{', ...open, ...close, '+}'].join('\n')}\n`;
}

const MAIL = ['From: A Developer <dev@example.org>', 'Subject: [PATCH] mm: a large fix', 'Date: Fri, 10 Dec 2004 15:13:55 +0000', 'MIME-Version: 1.0'];

function asBase64(patch: string): string {
  const b64 = Buffer.from(patch).toString('base64').match(/.{1,76}/g) ?? [];
  return [...MAIL, 'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: text/plain', '', 'Attached.', '',
    '--B', 'Content-Type: text/x-patch; name="big.patch"', 'Content-Transfer-Encoding: base64', '', ...b64, '--B--', ''].join('\n');
}

function asQuotedPrintable(patch: string): string {
  const body = patch.split('\n').map((l) => l.replace(/=/g, '=3D').replace(/\t/g, '=09'));
  return [...MAIL, 'Content-Type: text/plain; charset=us-ascii', 'Content-Transfer-Encoding: quoted-printable', '', ...body].join('\n');
}

const dir = process.argv[2] ?? 'hostile-inputs';
mkdirSync(dir, { recursive: true });
const one = manyHunks(1_000_000);
writeFileSync(join(dir, 'patch-1mb.diff'), one);
writeFileSync(join(dir, 'patch-1mb-base64.eml'), asBase64(one));
const ten = manyHunks(10_000_000);
writeFileSync(join(dir, 'patch-10mb.diff'), ten);
writeFileSync(join(dir, 'patch-50mb.diff'), manyHunks(50_000_000));
writeFileSync(join(dir, 'locals-200k.diff'), locals(200_000));
writeFileSync(join(dir, 'braces-100k.diff'), braces(100_000));
writeFileSync(join(dir, 'patch-10mb-base64.eml'), asBase64(ten));
writeFileSync(join(dir, 'patch-10mb-qp.eml'), asQuotedPrintable(ten));
console.log(`wrote 8 inputs to ${dir}`);
