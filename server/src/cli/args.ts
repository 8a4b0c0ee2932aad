/** Parses kpr's argv into a command; the only place that knows the flag spellings. */

export type Format = 'text' | 'json' | 'sarif';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check'; format: Format; files: string[]; model: boolean }
  | { kind: 'scenarios'; file?: string }
  | { kind: 'run'; scenario: string; patch?: string; side?: 'pre' | 'post'; format: 'text' | 'json'; schedule?: string[]; random?: number; seed: number }
  | { kind: 'lsp' }
  | { kind: 'usage-error'; message: string };

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

function parseCheck(args: string[]): Command {
  let format: Format = 'text';
  let model = true;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    let value: string | undefined;
    if (a === '--format' || a === '-f') {
      value = args[++i];
      if (value === undefined) return { kind: 'usage-error', message: `${a} needs a value: text, json or sarif` };
    } else if (a.startsWith('--format=')) {
      value = a.slice('--format='.length);
    } else if (a === '--no-model') {
      model = false;
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
  return { kind: 'check', format, files, model };
}

/** `run SCENARIO [--patch FILE] [--side pre|post] [--schedule T1,T2,...] [--random N --seed S] [--format text|json]` */
function parseRun(args: string[]): Command {
  let scenario: string | undefined;
  const cmd: Extract<Command, { kind: 'run' }> = { kind: 'run', scenario: '', format: 'text', seed: 1 };
  for (let i = 0; i < args.length; i++) {
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
    case 'scenarios': {
      const unknown = rest.find((a) => a.startsWith('-'));
      if (unknown) return { kind: 'usage-error', message: `unknown option for scenarios: ${unknown}` };
      if (rest.length > 1) return { kind: 'usage-error', message: 'scenarios takes at most one FILE' };
      return rest[0] === undefined ? { kind: 'scenarios' } : { kind: 'scenarios', file: rest[0] };
    }
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
