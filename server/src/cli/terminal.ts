/**
 * How `kpr check` text fits the terminal: colour only on a terminal and never when NO_COLOR is set
 * (https://no-color.org: any non-empty value), FORCE_COLOR turns it on for pipes; the width is the
 * terminal's, else COLUMNS, else 100 columns so a log or a CI page stays readable too.
 */
import type { TextOptions } from '../report/text';

export const DEFAULT_WIDTH = 100;

export function terminalTextOptions(env: NodeJS.ProcessEnv = process.env, stream: { isTTY?: boolean; columns?: number } = process.stdout): TextOptions {
  const noColor = (env.NO_COLOR ?? '') !== '';
  const force = (env.FORCE_COLOR ?? '') !== '' && env.FORCE_COLOR !== '0';
  const color = !noColor && (force || stream.isTTY === true);
  const columns = Number.parseInt(env.COLUMNS ?? '', 10);
  const width = stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : Number.isFinite(columns) && columns > 0 ? columns : DEFAULT_WIDTH;
  return { color, width: Math.max(40, width) };
}
