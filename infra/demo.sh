#!/usr/bin/env bash
# `npm run demo`: sets everything up, starts Temporal + MinIO + 2 workers (infra/dev.sh), runs the
# main job on the embedded defaults (synthetic BTCUSDT 1h, one year, local artifact store: steps
# 1–5, the regime ensembles spread over both workers), predicts the latest bars with the run's
# governor bundle, then lists the run and checks every component. Services stay up for you to explore; stop them with
# `npm run dev -- down`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash infra/setup.sh
bash infra/dev.sh up --workers "${ARES_WORKERS:-2}"
eval "$(bash infra/dev.sh env | grep -v '^#')"
echo
run="demo-train-BTCUSDT-1h-$(date -u +%Y%m%dT%H%M%SZ)"
echo "== ares train --symbol BTCUSDT --interval 1h --workflow-id $run"
npx ares train --symbol BTCUSDT --interval 1h --workflow-id "$run"
echo
echo "== ares predict --run $run --last 5"
npx ares predict --run "$run" --last 5
echo
echo "== ares runs list"
sleep 2 # visibility is eventually consistent
npx ares runs list --limit 5
echo
echo "== ares doctor"
npx ares doctor
echo
echo "services are still running: 'npm run dev -- status', 'npm run dev -- down' to stop them"
