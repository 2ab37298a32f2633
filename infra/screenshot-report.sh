#!/usr/bin/env bash
# Opens an `ares analyze` HTML report in headless Chromium and saves a screenshot, so a person (or
# a session) can see that every plot rendered. Installs Debian's chromium when it is missing.
#
#   bash infra/screenshot-report.sh report.html report.png [width] [height]
set -euo pipefail
html="$(realpath "$1")"; png="$2"; width="${3:-1400}"; height="${4:-2200}"
if ! command -v chromium >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "chromium is missing: sudo apt-get install chromium" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# The background-networking flags keep Chromium from reaching for hosts this machine cannot reach.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
  --window-size="$width,$height" --screenshot="$png" "file://$html" 2>/dev/null
echo "screenshot: $png"
