#!/usr/bin/env bash
# Everything a fresh clone needs before it can run: npm dependencies (from the lockfile, with the
# install scripts package.json's allowScripts approves) and the real tools (infra/install-tools.sh).
# Both are cached in ARES_TOOLS_DIR (default ~/.cache/ares/tools) and reused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The installed dependencies (node_modules, and the workspaces' own node_modules where npm put a
# second version of a package, e.g. libs/data/node_modules) are cached in the tools cache, keyed by
# the lockfile's hash: a fresh clone copies them (seconds) instead of installing 850 packages again
# (most of a minute); a changed lockfile installs anew. node_modules/.ares-lock names the lockfile
# they were installed from.
lock="$(sha256sum package-lock.json | cut -c1-16)"
modules_cache="${ARES_TOOLS_DIR:-$HOME/.cache/ares/tools}/node_modules"
module_dirs() { ls -d node_modules apps/*/node_modules libs/*/node_modules infra/node_modules 2>/dev/null || true; }
if [[ ! -f node_modules/.ares-lock || "$(cat node_modules/.ares-lock)" != "$lock" ]]; then
  if [[ -d "$modules_cache/$lock/node_modules" ]]; then
    echo "[setup] node_modules from the cache ($modules_cache/$lock)" >&2
    module_dirs | xargs -r rm -rf
    (cd "$modules_cache/$lock" && module_dirs) | while read -r dir; do cp -a "$modules_cache/$lock/$dir" "$dir"; done
  else
    # `npm install`, not `npm ci`: it installs the lockfile's versions all the same, but the registry
    # reachable here lacks some other platforms' optional builds (e.g. @swc/core-darwin-arm64), which
    # makes `npm ci` refuse every lockfile as "out of sync".
    echo "[setup] npm install (from package-lock.json)" >&2
    npm install --no-audit --no-fund --prefer-offline
    lock="$(sha256sum package-lock.json | cut -c1-16)" # npm may have rewritten the lockfile
    # Copied to a temporary name and renamed, so that a concurrent setup never copies half of it;
    # only the latest lockfile's copy is kept.
    tmp="$modules_cache/.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    module_dirs | while read -r dir; do cp -a --parents "$dir" "$tmp/"; done
    find "$modules_cache" -mindepth 1 -maxdepth 1 -not -name ".tmp.*" -exec rm -rf {} +
    mv "$tmp" "$modules_cache/$lock"
  fi
  echo "$lock" > node_modules/.ares-lock
fi
bash infra/install-tools.sh
# Module-boundary lint needs Nx's project graph; compute it once here.
NX_DAEMON=false npx nx show projects >/dev/null
