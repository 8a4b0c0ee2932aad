/** Parses kpr's argv into a command; the only place that knows the flag spellings. */
import { ABIS, type Abi } from '../lower/ctypes';
import { DEFAULT_CHECK_BOUNDS, type CheckBounds } from './check-job';
import { MEMORY_MODELS, type MemoryModel } from '../model/weak';
import type { Side } from '../findings';
import { appendAll } from '../arrays';

export type Format = 'text' | 'json' | 'sarif';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  /** `scenarioDir`: the folder of user scenarios given with --scenarios (default: .kpr/scenarios). */
  | { kind: 'check'; format: Format; files: string[]; model: boolean; scenarioDir?: string; bounds: CheckBounds; abi?: Abi; memoryModel?: MemoryModel }
  | { kind: 'scenarios'; file?: string; scenarioDir?: string }
  | { kind: 'run'; scenario: string; patch?: string; side?: Side; format: 'text' | 'json'; schedule?: string[]; random?: number; seed: number; scenarioDir?: string; abi?: Abi; memoryModel?: MemoryModel }
  | { kind: 'lsp' }
  | { kind: 'usage-error'; message: string };

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

/**
 * Takes `--scenarios DIR` or `--scenarios=DIR` at `args[i]` into `into.scenarioDir`. Returns how
 * many arguments it took (0: `args[i]` is something else) or the usage error.
 */
function scenariosFlag(args: readonly string[], i: number, into: { scenarioDir?: string }): number | Extract<Command, { kind: 'usage-error' }> {
  const a = args[i]!;
  const took = a === '--scenarios' ? 2 : a.startsWith('--scenarios=') ? 1 : 0;
  if (took === 0) return 0;
  const dir = took === 2 ? args[i + 1] : a.slice('--scenarios='.length);
  if (dir === undefined || dir === '') return { kind: 'usage-error', message: '--scenarios needs a DIR (a folder of scenario .json files)' };
  // One folder, so that which file defines an id never depends on the order of the flags.
  if (into.scenarioDir !== undefined) return { kind: 'usage-error', message: `--scenarios given twice (${into.scenarioDir} and ${dir})` };
  into.scenarioDir = dir;
  return took;
}

/** `--max-ms`, `--max-kb`, `--max-heap-mb`: the bound each sets, and its largest value. */
const BOUND_FLAGS: Record<string, { key: keyof CheckBounds; max: number }> = {
  '--max-ms': { key: 'maxMs', max: 86_400_000 },
  '--max-kb': { key: 'maxKb', max: 1_048_576 },
  '--max-heap-mb': { key: 'maxHeapMb', max: 65_536 },
};
/** `--abi lp64|ilp32` (DESIGN section 13): the value, or the usage error for a bad one. */
function abiValue(v: string | undefined): Abi | Extract<Command, { kind: 'usage-error' }> {
  if (v !== undefined && (ABIS as readonly string[]).includes(v)) return v as Abi;
  return { kind: 'usage-error', message: `--abi is ${ABIS.join(' or ')}${v === undefined ? '' : `, not ${v}`}` };
}

/** `--memory-model sc|weak` (DESIGN section 13): the value, or the usage error for a bad one. */
function memoryModelValue(v: string | undefined): MemoryModel | Extract<Command, { kind: 'usage-error' }> {
  if (v !== undefined && (MEMORY_MODELS as readonly string[]).includes(v)) return v as MemoryModel;
  return { kind: 'usage-error', message: `--memory-model is ${MEMORY_MODELS.join(' or ')}${v === undefined ? '' : `, not ${v}`}` };
}

function parseCheck(args: string[]): Command {
  let format: Format = 'text';
  let model = true;
  const bounds: CheckBounds = { ...DEFAULT_CHECK_BOUNDS };
  const opts: { scenarioDir?: string; abi?: Abi; memoryModel?: MemoryModel } = {};
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      appendAll(files, args.slice(i + 1));
      break;
    }
    const took = scenariosFlag(args, i, opts);
    if (typeof took !== 'number') return took;
    if (took > 0) { i += took - 1; continue; }
    let value: string | undefined;
    if (a === '--format' || a === '-f') {
      value = args[++i];
      if (value === undefined) return { kind: 'usage-error', message: `${a} needs a value: text, json or sarif` };
    } else if (a.startsWith('--format=')) {
      value = a.slice('--format='.length);
    } else if (a === '--no-model') {
      model = false;
      continue;
    } else if (a === '--memory-model' || a.startsWith('--memory-model=')) {
      const mm = memoryModelValue(a === '--memory-model' ? args[++i] : a.slice('--memory-model='.length));
      if (typeof mm !== 'string') return mm;
      opts.memoryModel = mm;
      continue;
    } else if (BOUND_FLAGS[a.split('=')[0]!]) {
      const flag = a.split('=')[0]!;
      const v = a.includes('=') ? a.slice(flag.length + 1) : args[++i];
      const n = Number(v);
      const { key, max } = BOUND_FLAGS[flag]!;
      if (v === undefined || !/^\d+$/.test(v) || n < 1 || n > max) return { kind: 'usage-error', message: `${flag} needs a whole number from 1 to ${max}${v === undefined ? '' : `, not ${v}`}` };
      bounds[key] = n;
      continue;
    } else if (a === '--abi' || a.startsWith('--abi=')) {
      const abi = abiValue(a === '--abi' ? args[++i] : a.slice('--abi='.length));
      if (typeof abi !== 'string') return abi;
      opts.abi = abi;
      continue;
    } else if (a.startsWith('-') && a !== '-') {
      return { kind: 'usage-error', message: `unknown option for check: ${a}` };
    } else {
      files.push(a);
      continue;
    }
    if (!(FORMATS as readonly string[]).includes(value)) return { kind: 'usage-error', message: `unknown format: ${value} (text, json or sarif)` };
    format = value as Format;
  }
  if (files.length === 0) return { kind: 'usage-error', message: 'check needs at least one FILE' };
  return { kind: 'check', format, files, model, bounds, ...opts };
}

/** `run SCENARIO [--patch FILE] [--side pre|post] [--schedule T1,T2,...] [--random N --seed S] [--format text|json] [--scenarios DIR] [--abi lp64|ilp32] [--memory-model sc|weak]` */
function parseRun(args: string[]): Command {
  let scenario: string | undefined;
  const cmd: Extract<Command, { kind: 'run' }> = { kind: 'run', scenario: '', format: 'text', seed: 1 };
  for (let i = 0; i < args.length; i++) {
    const took = scenariosFlag(args, i, cmd);
    if (typeof took !== 'number') return took;
    if (took > 0) { i += took - 1; continue; }
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i]);
    if (!flag.startsWith('-')) {
      if (scenario !== undefined) return { kind: 'usage-error', message: `run takes one SCENARIO (got ${scenario} and ${a})` };
      scenario = a;
      continue;
    }
    const v = value();
    if (v === undefined) return { kind: 'usage-error', message: `${flag} needs a value` };
    switch (flag) {
      case '--patch': cmd.patch = v; break;
      case '--side':
        if (v !== 'pre' && v !== 'post') return { kind: 'usage-error', message: `--side is pre or post, not ${v}` };
        cmd.side = v; break;
      case '--format': case '-f':
        if (v !== 'text' && v !== 'json') return { kind: 'usage-error', message: `run formats are text and json, not ${v}` };
        cmd.format = v; break;
      case '--memory-model': {
        const mm = memoryModelValue(v);
        if (typeof mm !== 'string') return mm;
        cmd.memoryModel = mm;
        break;
      }
      case '--abi': {
        const abi = abiValue(v);
        if (typeof abi !== 'string') return abi;
        cmd.abi = abi;
        break;
      }
      case '--schedule': cmd.schedule = v.split(',').map((t) => t.trim()).filter((t) => t !== ''); break;
      case '--random': case '--seed': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < (flag === '--random' ? 1 : 0)) return { kind: 'usage-error', message: `${flag} needs a whole number, not ${v}` };
        if (flag === '--random') cmd.random = n; else cmd.seed = n;
        break;
      }
      default: return { kind: 'usage-error', message: `unknown option for run: ${flag}` };
    }
  }
  if (scenario === undefined) return { kind: 'usage-error', message: 'run needs a SCENARIO (see kpr scenarios)' };
  if (cmd.schedule && cmd.random !== undefined) return { kind: 'usage-error', message: '--schedule and --random exclude each other' };
  cmd.scenario = scenario;
  return cmd;
}

/** `scenarios [FILE] [--scenarios DIR]` */
function parseScenarios(args: string[]): Command {
  const cmd: Extract<Command, { kind: 'scenarios' }> = { kind: 'scenarios' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const took = scenariosFlag(args, i, cmd);
    if (typeof took !== 'number') return took;
    if (took > 0) { i += took - 1; continue; }
    if (a.startsWith('-') && a !== '-') return { kind: 'usage-error', message: `unknown option for scenarios: ${a}` };
    if (cmd.file !== undefined) return { kind: 'usage-error', message: 'scenarios takes at most one FILE' };
    cmd.file = a;
  }
  return cmd;
}

export function parseArgs(argv: readonly string[]): Command {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      return { kind: 'usage-error', message: 'no command given' };
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    case '--version':
    case '-V':
    case 'version':
      return { kind: 'version' };
    case 'check':
      if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help' };
      return parseCheck(rest);
    case 'scenarios':
      if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help' };
      return parseScenarios(rest);
    case 'run':
      if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help' };
      return parseRun(rest);
    case 'lsp': {
      // stdio is the only transport; accept the flag that every LSP client passes, and the
      // client's process id that vscode-languageclient adds (vscode-languageserver reads it from
      // argv itself and exits when that process dies).
      const unknown = rest.find((a, i) => a !== '--stdio' && !/^--clientProcessId(=\d+)?$/.test(a) && !(rest[i - 1] === '--clientProcessId' && /^\d+$/.test(a)));
      if (unknown) return { kind: 'usage-error', message: `unknown option for lsp: ${unknown} (only --stdio)` };
      return { kind: 'lsp' };
    }
    default:
      return { kind: 'usage-error', message: cmd.startsWith('-') ? `unknown option: ${cmd}` : `unknown command: ${cmd}` };
  }
}
