#!/usr/bin/env bash
# `npm test`: sets everything up, then lint + type check + every unit and integration test.
# Integration tests start (and stop) the real services they need: the Temporal dev server,
# MinIO on loopback, worker processes; DuckDB and the native libraries load in process.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash infra/setup.sh
echo "[test] eslint (module boundaries) + tsc" >&2
NX_DAEMON=false npx eslint .
npx tsc -p tsconfig.json --noEmit
echo "[test] jest" >&2
# Two workers: integration suites each start their own servers; more would oversubscribe 2 cores.
npx jest --maxWorkers=2 "$@"
