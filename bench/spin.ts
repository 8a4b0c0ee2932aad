// `node --import tsx bench/spin.ts`: kpr beside SPIN on the same races (issue 13), in one run.
// 1. `kpr check` of each seed against SPIN's pipeline (spin -a, gcc, pan -c0: a full search
//    that counts errors) on the matching model of ../shared/anchors/spin: S1 <-> 003, S3 <-> 002,
//    S2 <-> 000 (NP=2, NF=1, the model's default).
// 2. The invalidate-vs-faults shape at NP pages x NF faulters (bench/scenarios, user scenarios
//    run by `kpr run` on seed 000's post side) against S2 at the same NP x NF: states, seconds,
//    peak memory, complete or not. SHAPES=1x1,2x1 picks shapes (default all six).
// Needs the built CLI (node scripts/build.mjs). Installs nothing: without spin or gcc it says so
// and stops. Peak memory and CPU time (user + system) come from GNU time (/usr/bin/time) when
// present: on a shared machine compare the CPU columns, the wall times grow with the load.
// KPR_CLI=path/kpr.js measures another build. The two models are not the same program: SPIN's
// abstracts more (see each .pml's header); states are compared as they come, not normalised.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedsDir } from '../test/support/seeds';

const root = join(__dirname, '..');
const anchors = process.env.KPR_SPIN_MODELS ?? join(root, '..', 'shared', 'anchors', 'spin');
/** The CLI measured: the built one, or another build (KPR_CLI=path/kpr.js, e.g. an older commit's). */
const kpr = process.env.KPR_CLI ?? join(root, 'server', 'dist', 'kpr.js');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** Where GNU time writes the peak memory (never into the repository). */
const rssFile = join(mkdtempSync(join(tmpdir(), 'kpr-rss-')), 'rss');

interface Timed { s: number; cpu: number | undefined; mb: number | undefined; stdout: string; out: string; code: number }

/**
 * Runs a command, with its wall time and (GNU time) its CPU time (user + system, every thread) and
 * peak resident memory. On a shared machine the wall time grows with the load; the CPU time much
 * less, so the ratios are given both ways.
 */
function timed(cmd: string, args: string[], cwd: string): Timed {
  const t0 = process.hrtime.bigint();
  const r = gnuTime
    ? spawnSync(gnuTime, ['-f', '%U %S %M', '-o', rssFile, cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  let mb: number | undefined;
  let cpu: number | undefined;
  if (gnuTime) {
    const [user, sys, kb] = (readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    mb = kb / 1024 || undefined;
    cpu = Number.isFinite(user + sys) ? user + sys : undefined;
  }
  return { s, cpu, mb, stdout: r.stdout ?? '', out: `${r.stdout ?? ''}${r.stderr ?? ''}`, code: r.status ?? -1 };
}

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

interface Pan { states: number; s: number; cpu: number | undefined; mb: number | undefined; complete: boolean; errors: number }

/** spin -a, gcc and pan -c0 on one model in a scratch directory. */
function spin(model: string, defs: string[]): { compile: number; compileCpu: number | undefined; pan: Pan } {
  const dir = mkdtempSync(join(tmpdir(), 'kpr-spin-'));
  try {
    copyFileSync(join(anchors, model), join(dir, model));
    const c1 = timed('spin', [...defs, '-a', model], dir);
    const c2 = timed('gcc', ['-w', '-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], dir);
    if (c1.code !== 0 || c2.code !== 0) throw new Error(`spin/gcc failed on ${model}: ${c1.out}${c2.out}`);
    const p = timed('./pan', ['-c0'], dir);
    const num = (re: RegExp) => Number(re.exec(p.out)?.[1] ?? NaN);
    return {
      compile: c1.s + c2.s,
      compileCpu: c1.cpu === undefined || c2.cpu === undefined ? undefined : c1.cpu + c2.cpu,
      pan: {
        states: num(/([\d.e+]+) states, stored/), s: p.s, cpu: p.cpu, mb: p.mb,
        // pan says so when a bound (depth, memory) cut the search.
        complete: !/max search depth too small|out of memory/.test(p.out), errors: num(/errors: (\d+)/),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (x: number | undefined) => (x === undefined ? 'n/a' : `${x.toFixed(0)} MB`);
const sec = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
const seed = (prefix: string) => {
  const f = readdirSync(seedsDir).find((n) => n.startsWith(prefix) && n.endsWith('.txt'));
  if (!f) throw new Error(`no seed ${prefix}_ in ${seedsDir}`);
  return join(seedsDir, f);
};

function main(): void {
  const missing = ['spin', 'gcc'].filter((t) => !has(t));
  if (missing.length) {
    console.log(`spin bench: skipped, ${missing.join(' and ')} not installed (this bench installs nothing; Debian: apt-get install -y spin gcc)`);
    return;
  }
  if (!existsSync(kpr)) throw new Error('build first: node scripts/build.mjs');
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  console.log(`spin bench (${spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim()}; peak memory and CPU ${gnuTime ? 'by GNU time' : 'not measured: no /usr/bin/time'}; load average ${load} on ${availableParallelism()} cores)`);
  console.log('\nkpr check per seed vs SPIN pipeline (spin -a + gcc -O2 + pan -c0) on the matching model');
  console.log('| seed | model | kpr check s (CPU) | kpr MB | SPIN total s (CPU) | pan states | pan MB | kpr / SPIN (CPU) |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const [prefix, model, defs] of [['003', 's1_truncate_fault.pml', []], ['002', 's3_dio_aio.pml', []], ['000', 's2_invalidate_fault.pml', ['-DNP=2', '-DNF=1']]] as const) {
    const k = timed('node', [kpr, 'check', '--format', 'json', seed(prefix)], root);
    const sp = spin(model, [...defs]);
    const total = sp.compile + sp.pan.s;
    const totalCpu = sp.compileCpu === undefined || sp.pan.cpu === undefined ? undefined : sp.compileCpu + sp.pan.cpu;
    const ratioCpu = k.cpu === undefined || !totalCpu ? 'n/a' : `${(k.cpu / totalCpu).toFixed(2)}x`;
    console.log(`| ${prefix} | ${model} ${defs.join(' ')} | ${k.s.toFixed(2)} (${sec(k.cpu)}) | ${mb(k.mb)} | ${total.toFixed(2)} (${sec(totalCpu)}) | ${sp.pan.states} | ${mb(sp.pan.mb)} | ${(k.s / total).toFixed(2)}x (${ratioCpu}) |`);
  }
  const shapes = (process.env.SHAPES ?? '1x1,1x2,2x1,2x2,3x1,3x2').split(',');
  console.log('\ninvalidate vs faults, NP pages x NF faulters: kpr run (seed 000 post) vs SPIN S2 (pan -c0)');
  console.log('| NP x NF | kpr states | kpr s (CPU) | kpr MB | kpr complete | pan states | pan s | pan MB | states kpr/SPIN | time kpr/pan (CPU) | kpr states per CPU s |');
  console.log('|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const shape of shapes) {
    const [np, nf] = shape.split('x');
    const k = timed('node', [kpr, 'run', `invalidate-faults-${shape}`, '--patch', seed('000'), '--side', 'post', '--scenarios', join(root, 'bench', 'scenarios'), '--format', 'json'], root);
    let run: { states?: number; exhaustive?: boolean; bound?: number | null } = {};
    try { run = JSON.parse(k.stdout); } catch { /* reported below as n/a */ }
    const sp = spin('s2_invalidate_fault.pml', [`-DNP=${np}`, `-DNF=${nf}`]);
    const done = run.states === undefined ? `failed (exit ${k.code})` : run.exhaustive ? 'exhaustive' : typeof run.bound === 'number' ? `complete to ${run.bound} preemption(s)` : 'incomplete (a budget ran out)';
    const cpuRatio = k.cpu === undefined || !sp.pan.cpu ? 'n/a' : (k.cpu / sp.pan.cpu).toFixed(1);
    const rate = run.states && k.cpu ? Math.round(run.states / k.cpu) : 'n/a';
    console.log(`| ${shape} | ${run.states ?? 'n/a'} | ${k.s.toFixed(2)} (${sec(k.cpu)}) | ${mb(k.mb)} | ${done} | ${sp.pan.states} | ${sp.pan.s.toFixed(2)} | ${mb(sp.pan.mb)} | ${run.states ? (run.states / sp.pan.states).toFixed(3) : 'n/a'} | ${(k.s / sp.pan.s).toFixed(1)} (${cpuRatio}) | ${rate} |`);
  }
}

try {
  main();
} finally {
  rmSync(join(rssFile, '..'), { recursive: true, force: true });
}
