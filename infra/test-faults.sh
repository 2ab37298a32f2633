#!/usr/bin/env bash
# `npm run test:faults`: sets everything up, then the fault-injection suite on real processes
# (Temporal dev server, MinIO, worker processes; see apps/worker/src/faults/infrastructure.faults.ts).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash infra/setup.sh
echo "[test:faults] jest (one case at a time)" >&2
npx jest -c jest.faults.config.js --runInBand "$@"
