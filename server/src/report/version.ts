/** The tool's name and version, taken from the extension manifest so they never drift apart. */
import manifest from '../../../package.json';

export const TOOL_NAME = 'kpr';
export const TOOL_VERSION: string = manifest.version;
