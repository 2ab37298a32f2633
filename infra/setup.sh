#!/usr/bin/env bash
# Everything a fresh clone needs before it can run: npm dependencies (from the lockfile, with the
# install scripts package.json's allowScripts approves) and the real tools (infra/install-tools.sh).
# Both are cached in ARES_TOOLS_DIR (default ~/.cache/ares/tools) and reused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# node_modules is cached in the tools cache, keyed by the lockfile's hash: a fresh clone copies it
# (seconds) instead of installing 850 packages again (most of a minute), and a changed lockfile
# installs anew. The stamp names the lockfile node_modules was installed from.
lock="$(sha256sum package-lock.json | cut -c1-16)"
modules_cache="${ARES_TOOLS_DIR:-$HOME/.cache/ares/tools}/node_modules"
if [[ ! -f node_modules/.ares-lock || "$(cat node_modules/.ares-lock)" != "$lock" ]]; then
  if [[ -d "$modules_cache/$lock" ]]; then
    echo "[setup] node_modules from the cache ($modules_cache/$lock)" >&2
    rm -rf node_modules
    cp -a "$modules_cache/$lock" node_modules
  else
    # `npm install`, not `npm ci`: it installs the lockfile's versions all the same, but the registry
    # reachable here lacks some other platforms' optional builds (e.g. @swc/core-darwin-arm64), which
    # makes `npm ci` refuse every lockfile as "out of sync".
    echo "[setup] npm install (from package-lock.json)" >&2
    npm install --no-audit --no-fund --prefer-offline
    lock="$(sha256sum package-lock.json | cut -c1-16)" # npm may have rewritten the lockfile
    # Written to a temporary name and renamed, so that a concurrent setup never copies half of it;
    # only the latest lockfile's copy is kept.
    mkdir -p "$modules_cache"
    rm -rf "$modules_cache/.tmp.$$"
    cp -a node_modules "$modules_cache/.tmp.$$"
    find "$modules_cache" -mindepth 1 -maxdepth 1 -not -name ".tmp.*" -exec rm -rf {} +
    mv "$modules_cache/.tmp.$$" "$modules_cache/$lock"
  fi
  echo "$lock" > node_modules/.ares-lock
fi
bash infra/install-tools.sh
# Module-boundary lint needs Nx's project graph; compute it once here.
NX_DAEMON=false npx nx show projects >/dev/null
