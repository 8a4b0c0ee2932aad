// Lowering of small C functions written for these tests: the shape of the step program for each
// construct, types, notes, and the document position of steps.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../support/engine';
import { lowerC, shape } from './helper';

before(() => initEngine());

test('a while loop with a call in its condition: call, branch, body, jump back to the call', () => {
  const { ir, notes } = lowerC('int f(struct page *page)\n{\n\twhile (page_mapped(page))\n\t\tzap(page);\n\treturn 0;\n}');
  assert.deepEqual(notes, []);
  assert.deepEqual(shape(ir!.steps), ['call page_mapped>1', 'branch>2|4', 'call zap>3', 'loop>0', 'return']);
});

test('goto jumps to its label; the label binds to the next step', () => {
  const { ir } = lowerC('int f(int a)\n{\n\tif (a)\n\t\tgoto out;\n\tg();\nout:\n\treturn a;\n}');
  assert.deepEqual(shape(ir!.steps), ['branch>1|2', 'goto>3', 'call g>3', 'return']);
});

test('&& with calls becomes a chain of branches: the right call runs only when the left holds', () => {
  const { ir } = lowerC('void f(int ret)\n{\n\tif (!ret && lookup(1))\n\t\tg();\n}');
  assert.deepEqual(shape(ir!.steps), ['branch>1|4', 'call lookup>2', 'branch>3|4', 'call g>4', 'return']);
});

test('|| with pure operands stays one lazy expression', () => {
  const { ir } = lowerC('void f(int a, int b)\n{\n\tif (a || b)\n\t\tg();\n}');
  const br = ir!.steps[0]!;
  assert.equal(br.op === 'branch' && br.cond.k === 'binary' && br.cond.op, '||');
});

test('for loop: init, condition, body, continue goes to the update, break leaves', () => {
  const { ir } = lowerC('void f(void)\n{\n\tint i;\n\tfor (i = 0; i < 4; i++) {\n\t\tif (i == 1)\n\t\t\tcontinue;\n\t\tif (i == 2)\n\t\t\tbreak;\n\t}\n}');
  assert.deepEqual(shape(ir!.steps), ['declare i>1', 'assign>2', 'branch>3|9', 'branch>4|5', 'continue>7', 'branch>6|7', 'break>9', 'assign>8', 'loop>2', 'return']);
  const update = ir!.steps[7]!;
  assert.equal(update.op === 'assign' && update.value.k === 'binary' && update.value.op, '+');
});

test('do-while(0) runs its body once; switch becomes == tests with fallthrough', () => {
  const { ir } = lowerC('void f(int a)\n{\n\tdo { g(); } while (0);\n\tswitch (a) {\n\tcase 1:\n\tcase 2:\n\t\th();\n\t\tbreak;\n\tdefault:\n\t\tk();\n\t}\n}');
  assert.deepEqual(shape(ir!.steps), ['call g>1', 'branch>3|2', 'branch>3|5', 'call h>4', 'break>6', 'call k>6', 'return']);
});

test('a call through a pointer names the member and keeps the pointer expression', () => {
  const { ir } = lowerC('long f(struct address_space *mapping, int rw)\n{\n\tlong retval;\n\tretval = mapping->a_ops->direct_IO(rw, 0);\n\treturn retval;\n}');
  const call = ir!.steps.find((s) => s.op === 'call');
  assert.equal(call?.op === 'call' && call.callee, 'direct_IO');
  assert.equal(call?.op === 'call' && call.through?.k === 'member' && call.through.field, 'a_ops');
  assert.equal(call?.op === 'call' && call.result?.k === 'name' && call.result.name, 'retval');
});

test('an impure ternary and a call in an initialiser use temporaries; unlikely() is stripped', () => {
  const { ir, notes } = lowerC('int f(int a)\n{\n\tint x = a ? g() : 2, y;\n\tif (unlikely(x))\n\t\ty = 1;\n\treturn x;\n}');
  assert.deepEqual(notes, []);
  assert.ok(ir!.locals.some((l) => l.name.startsWith('$t')));
  assert.ok(!ir!.steps.some((s) => s.op === 'call' && s.callee === 'unlikely'));
  assert.deepEqual(ir!.locals.filter((l) => !l.name.startsWith('$')).map((l) => l.name), ['x', 'y']);
});

test('struct locals, member and index expressions carry kernel field types', () => {
  const { ir } = lowerC('void f(void)\n{\n\tstruct pagevec pvec;\n\tstruct page *page = pvec.pages[0];\n\tpgoff_t next = page->index + 1;\n}');
  const init = ir!.steps.filter((s) => s.op === 'assign');
  const t = init[1]?.op === 'assign' ? init[1].value.type : undefined;
  assert.deepEqual(t && t.t === 'int' ? [t.bits, t.signed] : t, [64, false]);
  assert.deepEqual(ir!.locals.find((l) => l.name === 'pvec')?.type, { t: 'struct', name: 'pagevec' });
});

test('unknown identifiers used as values are unmodeled notes; syntax errors are noted and the rest lowered', () => {
  const r = lowerC('void f(void)\n{\n\tg(MYSTERY);\n\th(;\n\tk();\n}', 10);
  assert.ok(r.notes.some((n) => n.kind === 'unmodeled' && n.loc.line === 12));
  assert.ok(r.notes.some((n) => n.kind === 'syntax' && n.loc.line === 13));
  assert.ok(r.ir!.steps.some((s) => s.op === 'call' && s.callee === 'k'));
});

test('the Loc of a step maps to its document line and column', () => {
  const { ir } = lowerC('int f(int a)\n{\n\tint b = a;\n\treturn b;\n}', 40);
  const ret = ir!.steps.find((s) => s.op === 'return')!;
  assert.deepEqual([ret.loc.line, ret.loc.col], [43, 2]);
});

test('a fragment that starts inside a body still lowers, with names out of view as parameters', () => {
  const { ir } = lowerC('\tif (rw == WRITE)\n\t\tgo(mapping);\n\treturn 0;\n}', 5, false);
  assert.deepEqual(ir!.params.map((p) => p.name).sort(), ['mapping', 'rw']);
  assert.deepEqual(shape(ir!.steps), ['branch>1|2', 'call go>2', 'return']);
  assert.equal(ir!.steps[0]!.loc.line, 5);
});
