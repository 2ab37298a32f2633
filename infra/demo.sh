#!/usr/bin/env bash
# `npm run demo`: sets everything up, starts Temporal + MinIO + 2 workers (infra/dev.sh), then runs
# steps 1–9 twice on synthetic BTCUSDT 1h (one year, local artifact store):
#   1. a market with planted, learnable structure (`--edge 1`: informed order flow that leads price
#      by 3 bars): walk-forward after costs against the oracle ceiling, Monte Carlo, the gates, and
#      a promotion to champion (or "already champion" when an earlier demo promoted the same run);
#   2. a zero-signal market (`--signal 0`, a martingale), trained at the same time: the gates refuse it.
# The target search looks 24 bars ahead (infra/demo/edge-market.json: the planted states last about
# a day). Then the run report (HTML), the registry, the run list and a check of every component.
# Services stay up for you to explore; stop them with `npm run dev -- down`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash infra/setup.sh
bash infra/dev.sh up --workers "${ARES_WORKERS:-2}"
eval "$(bash infra/dev.sh env | grep -v '^#')"
echo
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
learn="demo-edge-BTCUSDT-1h-$stamp"
flat="demo-zero-signal-BTCUSDT-1h-$stamp"
# Both runs go at once (the workers fill each other's idle moments); the second one's output is
# shown when the first has finished.
flat_out="$(mktemp)"
trap 'rm -f "$flat_out"' EXIT
npx ares train --symbol BTCUSDT --interval 1h --signal 0 --config infra/demo/edge-market.json --workflow-id "$flat" >"$flat_out" 2>&1 &
flat_pid=$!
echo "== ares train --symbol BTCUSDT --interval 1h --edge 1 --config infra/demo/edge-market.json --workflow-id $learn"
npx ares train --symbol BTCUSDT --interval 1h --edge 1 --config infra/demo/edge-market.json --workflow-id "$learn"
echo
echo "== ares train --symbol BTCUSDT --interval 1h --signal 0 --config infra/demo/edge-market.json --workflow-id $flat (started at the same time)"
flat_rc=0
wait "$flat_pid" || flat_rc=$?
cat "$flat_out"
[[ "$flat_rc" == 0 ]] || exit "$flat_rc"
echo
mkdir -p demo-reports
echo "== ares runs report $learn --out demo-reports/$learn.html"
npx ares runs report "$learn" --out "demo-reports/$learn.html"
echo
echo "== ares registry show --symbol BTCUSDT --interval 1h"
npx ares registry show --symbol BTCUSDT --interval 1h
echo
echo "== ares predict --run $learn --last 5"
npx ares predict --run "$learn" --last 5
echo
echo "== ares runs list"
sleep 2 # visibility is eventually consistent
npx ares runs list --limit 5
echo
echo "== ares doctor"
npx ares doctor
echo
echo "services are still running: 'npm run dev -- status', 'npm run dev -- down' to stop them"
