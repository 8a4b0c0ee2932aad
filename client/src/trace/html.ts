/**
 * The trace view's HTML, as a pure function so that it can be checked without VS Code: a shell
 * that loads media/trace-state.js (the state pane), media/trace.js and media/trace.css under a nonce-based Content-Security-Policy. The
 * run itself arrives later by postMessage, so no data is ever spliced into markup.
 */
import { randomBytes } from 'node:crypto';

export interface TraceHtmlInput {
  /** `webview.cspSource`: the origin allowed for styles (the extension's media folder). */
  cspSource: string;
  nonce: string;
  /** Webview URIs (asWebviewUri) of media/trace-state.js, media/trace.js and media/trace.css. */
  stateScriptUri: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

/** 128 random bits, base64: a nonce the page cannot guess. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Escapes text and double-quoted attribute values (single quotes stay: the CSP needs them verbatim). */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  // Nothing by default; only the nonce'd script and the extension's own style sheet may load.
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `img-src ${cspSource}`, `font-src ${cspSource}`].join('; ');
}

export function traceHtml(input: TraceHtmlInput): string {
  const nonce = escapeHtml(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<header id="verdict" aria-live="polite"><h1>${escapeHtml(input.title)}</h1><p class="hint">Waiting for the run…</p></header>
<main id="sides"></main>
<script nonce="${nonce}" src="${escapeHtml(input.stateScriptUri)}"></script>
<script nonce="${nonce}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}
