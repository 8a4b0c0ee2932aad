// The trace view's HTML shell (client/src/trace/html.ts) and its media: a nonce-based CSP, no
// remote content, and a script tag that carries the nonce. Plain node: the builder needs no VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, makeNonce, traceHtml } from '../../client/src/trace/html';
import { repoRoot } from '../protocol/client';

const input = {
  cspSource: 'vscode-webview://abc123',
  nonce: 'bm9uY2Utb2YtdGhlLXRlc3Q=',
  stateScriptUri: 'vscode-webview://abc123/media/trace-state.js',
  scriptUri: 'vscode-webview://abc123/media/trace.js',
  styleUri: 'vscode-webview://abc123/media/trace.css',
  title: 'Trace: dio-write-vs-fault <pre & post>',
};
const html = traceHtml(input);
const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];

test('the CSP denies everything by default and allows only the nonce script and the extension styles', () => {
  assert.ok(csp, html);
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v.join(' ')]));
  assert.equal(directives.get('default-src'), "'none'");
  assert.equal(directives.get('script-src'), `'nonce-${input.nonce}'`);
  assert.equal(directives.get('style-src'), input.cspSource);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.equal(csp, contentSecurityPolicy(input.cspSource, input.nonce));
});

test('every script tag carries the nonce and loads a media script: the state pane, then the view', () => {
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
  assert.deepEqual(scripts, [` nonce="${input.nonce}" src="${input.stateScriptUri}"`, ` nonce="${input.nonce}" src="${input.scriptUri}"`]);
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${input.styleUri}">`));
});

test('no remote content: no http(s) URL in the page, its script or its styles', () => {
  const media = (name: string) => readFileSync(join(repoRoot, 'media', name), 'utf8');
  for (const [name, text] of [['html', html], ...['trace.js', 'trace-state.js', 'trace.css'].map((n) => [n, media(n)])]) {
    assert.doesNotMatch(text!, /https?:\/\//, name);
  }
  for (const name of ['trace.js', 'trace-state.js']) assert.doesNotMatch(media(name), /innerHTML|eval\(|new Function/, `${name}: run data never becomes markup or code`);
});

test('the title is escaped, not markup', () => {
  assert.match(html, /<title>Trace: dio-write-vs-fault &lt;pre &amp; post&gt;<\/title>/);
});

test('nonces are 128 random bits, different each time', () => {
  const a = makeNonce();
  assert.equal(Buffer.from(a, 'base64').length, 16);
  assert.notEqual(a, makeNonce());
});
