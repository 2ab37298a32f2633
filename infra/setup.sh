#!/usr/bin/env bash
# Everything a fresh clone needs before it can run: npm dependencies (from the lockfile, with the
# install scripts package.json's allowScripts approves) and the real tools (infra/install-tools.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # `npm install`, not `npm ci`: it installs the lockfile's versions all the same, but the registry
  # reachable here lacks some other platforms' optional builds (e.g. @swc/core-darwin-arm64), which
  # makes `npm ci` refuse every lockfile as "out of sync".
  echo "[setup] npm install (from package-lock.json)" >&2
  npm install --no-audit --no-fund
fi
bash infra/install-tools.sh
# Module-boundary lint needs Nx's project graph; compute it once here.
NX_DAEMON=false npx nx show projects >/dev/null
