/**
 * File names in diff headers: `--- 25/mm/truncate.c~fix-name<TAB>Fri Dec 10 ...` (akpm's
 * `diff -puN` with quilt's `~patchname` backup suffix), `+++ b/mm/filemap.c` (git),
 * `--- linux-2.6.9/mm/x.c 2004-...` (plain `diff -u` between trees). Returns the path relative to
 * the kernel tree. Limit: the first directory is dropped unless it is a top-level directory of the
 * kernel tree, which is right for -p1 kernel patches and wrong for -p0 patches of other projects.
 */

const KERNEL_TOP = new Set([
  'arch', 'block', 'certs', 'crypto', 'Documentation', 'drivers', 'firmware', 'fs', 'include', 'init',
  'ipc', 'kernel', 'lib', 'mm', 'net', 'samples', 'scripts', 'security', 'sound', 'tools', 'usr', 'virt',
]);

/** Undoes git's C-style quoting of unusual names ("a/sp ace"); only the common escapes. */
function unquote(s: string): string {
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  return s.slice(1, -1).replace(/\\(["\\tn])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}

/** The name part of a `---`/`+++` header value: timestamps after a tab or spaces are dropped. */
export function headerName(value: string): string {
  let s = value;
  const tab = s.indexOf('\t');
  if (tab >= 0) s = s.slice(0, tab);
  const stamp = /^(\S+)\s+\d{4}-\d\d-\d\d[ T]\d/.exec(s);
  if (stamp) s = stamp[1]!;
  return s.trim();
}

/** Cleans a header name into a tree path; null for /dev/null. */
export function cleanPath(raw: string): string | null {
  let s = unquote(headerName(raw));
  if (s === '/dev/null' || s === '') return s === '' ? '' : null;
  s = s.replace(/~[^/~]+$/, '');
  const parts = s.split('/');
  if (parts.length >= 2) {
    const top = parts[0]!;
    if (top === 'a' || top === 'b' || !KERNEL_TOP.has(top)) s = parts.slice(1).join('/');
  }
  return s;
}

/** The two names of a `diff --git a/x b/y` line, or undefined when it cannot be split. */
export function gitDiffNames(line: string): { old: string; new: string } | undefined {
  const rest = line.slice('diff --git '.length);
  const q = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (q) return { old: q[1]!, new: q[2]! };
  // Names with spaces: split where the second name's `b/` prefix starts.
  const k = rest.indexOf(' b/');
  return k > 0 ? { old: rest.slice(0, k), new: rest.slice(k + 1) } : undefined;
}
