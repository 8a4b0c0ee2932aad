// The trace view from the security side: hostile text in its inputs (a scenario title comes from
// a user scenario file) never becomes markup, the page has a nonce CSP and loads nothing remote,
// and the script that renders run data never turns it into HTML or code.
// (test/ux/webview.test.ts checks the ordinary shape of the page; this file checks the attacks.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, makeNonce, traceHtml } from '../../client/src/trace/html';
import { repoRoot } from '../protocol/client';

const CSP_SOURCE = 'vscode-webview://4f2c';
const hostile = {
  cspSource: CSP_SOURCE,
  nonce: makeNonce(),
  stateScriptUri: `${CSP_SOURCE}/media/trace-state.js`,
  scriptUri: `${CSP_SOURCE}/media/trace.js`,
  styleUri: `${CSP_SOURCE}/media/trace.css`,
  title: `Trace: x</title><script src="https://evil.example/x.js"></script><img src=x onerror="alert(1)">"'`,
};
const html = traceHtml(hostile);

test('a hostile title is escaped: no extra element, no event handler, no remote script', () => {
  assert.equal((html.match(/<script\b/g) ?? []).length, 2, 'exactly the two script tags of the page');
  assert.doesNotMatch(html, /<img\b/);
  // Escaped, the handler survives only as text; no real tag of the page has one.
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  assert.ok(tags.length > 5, 'the page has its tags');
  for (const tag of tags) assert.doesNotMatch(tag, /\son\w+\s*=/i, `no inline event handler in ${tag}`);
  assert.match(html, /&lt;\/title&gt;&lt;script/);
});

test('the scripts carry the nonce the CSP names, and the CSP allows nothing else to run', () => {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1]?.replace(/&#39;|&apos;/g, "'");
  assert.ok(csp, 'the page declares its CSP in a meta tag');
  assert.equal(csp, contentSecurityPolicy(CSP_SOURCE, hostile.nonce));
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${hostile.nonce}'`]);
  assert.ok(!directives.has('connect-src') && !directives.has('frame-src'), 'no network or frames allowed');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*|data:/);
  for (const [, script] of html.matchAll(/<script\b([^>]*)>/g)) assert.match(script!, new RegExp(`nonce="${hostile.nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
});

test('no remote URL anywhere in the page', () => {
  const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  assert.deepEqual(urls.sort(), [hostile.stateScriptUri, hostile.scriptUri, hostile.styleUri].sort());
  // The escaped hostile title still contains the text "https://": only as text, never as a URL attribute.
  assert.doesNotMatch(html.replace(/<title>[\s\S]*?<\/title>|<h1>[\s\S]*?<\/h1>/g, ''), /https?:\/\//);
});

test('nonces are fresh: 128 random bits each time', () => {
  const nonces = new Set(Array.from({ length: 50 }, makeNonce));
  assert.equal(nonces.size, 50);
  for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
});

test('the media script renders run data as text only and loads nothing remote', () => {
  for (const name of ['trace.js', 'trace-state.js', 'trace.css']) {
    const text = readFileSync(join(repoRoot, 'media', name), 'utf8');
    assert.doesNotMatch(text, /https?:\/\/|@import|url\(\s*['"]?(?!data:)[a-z]+:/i, `${name} refers to nothing remote`);
  }
  for (const name of ['trace.js', 'trace-state.js']) {
    const js = readFileSync(join(repoRoot, 'media', name), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(js, /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|(?<![\w$.])eval\s*\(|new\s+Function\b|\bsetTimeout\s*\(\s*['"`]/);
    assert.match(js, /textContent/, `${name}: text goes in through textContent`);
  }
});
