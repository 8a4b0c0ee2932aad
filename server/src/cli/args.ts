/** Parses kpr's argv into a command; the only place that knows the flag spellings. */

export type Format = 'text' | 'json' | 'sarif';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check'; format: Format; files: string[] }
  | { kind: 'scenarios'; file?: string }
  | { kind: 'run'; args: string[] }
  | { kind: 'lsp' }
  | { kind: 'usage-error'; message: string };

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

function parseCheck(args: string[]): Command {
  let format: Format = 'text';
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
  return { kind: 'check', format, files };
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
      return { kind: 'run', args: rest };
    case 'lsp': {
      // stdio is the only transport; accept the flag that every LSP client passes.
      const unknown = rest.find((a) => a !== '--stdio');
      if (unknown) return { kind: 'usage-error', message: `unknown option for lsp: ${unknown} (only --stdio)` };
      return { kind: 'lsp' };
    }
    default:
      return { kind: 'usage-error', message: cmd.startsWith('-') ? `unknown option: ${cmd}` : `unknown command: ${cmd}` };
  }
}
