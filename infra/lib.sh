# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this
# Helpers for infra/*.sh: configuration, pid files, process control, waiting for health.
# Source it; it defines functions and variables prefixed with `ares_` / `ARES_` and runs nothing else.
#
#   ARES_DATA_DIR            local state (default <repo>/.data): logs/, run/ (pid files), temporal/, minio/, artifacts/
#   ARES_TOOLS_DIR           tool cache of install-tools.sh (default ~/.cache/ares/tools)
#   ARES_TEMPORAL_PORT       Temporal frontend gRPC port (7233)
#   ARES_TEMPORAL_UI_PORT    Temporal Web UI port (8233)
#   ARES_MINIO_PORT          MinIO S3 API port (9000)
#   ARES_MINIO_CONSOLE_PORT  MinIO console port (9001)
#   ARES_MINIO_USER / ARES_MINIO_PASSWORD   MinIO root credentials (local dev only: ares / ares-dev-secret)
#   ARES_S3_BUCKET           bucket created on MinIO (ares)
#   TEMPORAL_NAMESPACE       namespace the workers use (default); created by the dev server if not 'default'

ARES_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARES_DATA="${ARES_DATA_DIR:-$ARES_REPO/.data}"
[[ "$ARES_DATA" == /* ]] || ARES_DATA="$PWD/$ARES_DATA" # absolute: workers and pid files must not depend on the cwd
ARES_DATA="${ARES_DATA%/}"
ARES_LOGS="$ARES_DATA/logs"
ARES_RUN="$ARES_DATA/run"
ARES_TOOLS="${ARES_TOOLS_DIR:-$HOME/.cache/ares/tools}"
ARES_MANIFEST="$ARES_TOOLS/manifest.json"

ARES_HOST=127.0.0.1
ARES_TEMPORAL_PORT="${ARES_TEMPORAL_PORT:-7233}"
ARES_TEMPORAL_UI_PORT="${ARES_TEMPORAL_UI_PORT:-8233}"
ARES_TEMPORAL_ADDRESS="$ARES_HOST:$ARES_TEMPORAL_PORT"
ARES_TEMPORAL_UI_URL="http://$ARES_HOST:$ARES_TEMPORAL_UI_PORT"
ARES_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ARES_MINIO_PORT="${ARES_MINIO_PORT:-9000}"
ARES_MINIO_CONSOLE_PORT="${ARES_MINIO_CONSOLE_PORT:-9001}"
ARES_MINIO_ENDPOINT="http://$ARES_HOST:$ARES_MINIO_PORT"
ARES_MINIO_USER="${ARES_MINIO_USER:-ares}"
ARES_MINIO_PASSWORD="${ARES_MINIO_PASSWORD:-ares-dev-secret}"
ARES_S3_BUCKET="${ARES_S3_BUCKET:-ares}"
ARES_SEARCH_ATTRIBUTES=(Symbol Interval Trigger DatasetHash Promoted) # all Keyword

ares_log() { printf '[dev] %s\n' "$*" >&2; }
ares_die() { printf '[dev] ERROR: %s\n' "$*" >&2; exit 1; }

# ares_tool KEY: absolute path of a tool from install-tools.sh's manifest.json.
ares_tool() {
  [[ -f "$ARES_MANIFEST" ]] || ares_die "no tool manifest at $ARES_MANIFEST: run 'bash infra/install-tools.sh'"
  python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$ARES_MANIFEST" "$1"
}

# ares_port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
ares_port_open() { (exec 3<>"/dev/tcp/$ARES_HOST/$1") 2>/dev/null; }

# ares_write_atomic FILE: writes stdin to FILE through a temporary file in the same directory and
# rename(2), so a process reading FILE at any time sees the old content or the new, never a part.
ares_write_atomic() {
  local file="$1" tmp
  tmp="$(mktemp "${file}.tmp.XXXXXX")"
  if ! cat >"$tmp"; then rm -f "$tmp"; return 1; fi
  chmod 644 "$tmp"
  mv -f "$tmp" "$file"
}

# --- pid files ------------------------------------------------------------------------------
# Each process dev.sh starts gets $ARES_RUN/<name>.pid and carries ARES_DEV_TAG=<data dir>#<name>
# in its environment, so a pid that was reused by another process is never taken for ours.
ares_pidfile() { printf '%s/%s.pid' "$ARES_RUN" "$1"; }
ares_tag() { printf '%s#%s' "$ARES_DATA" "$1"; }

# ares_pid NAME: prints the pid if NAME's pid file names a live process that we started; else fails.
ares_pid() {
  local f pid
  f="$(ares_pidfile "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/environ" ]]; then
    local envs
    envs="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null || true)"
    grep -qxF "ARES_DEV_TAG=$(ares_tag "$1")" <<<"$envs" || return 1
  fi
  printf '%s' "$pid"
}

# ares_spawn NAME LOG CMD...: starts CMD detached (own session and process group), appending to LOG.
# Sets ARES_SPAWNED_PID (recorded in NAME's pid file) and ARES_SPAWN_OFFSET (LOG's size before).
ares_spawn() {
  local name="$1" log="$2"
  shift 2
  mkdir -p "$ARES_RUN" "$(dirname "$log")"
  touch "$log"
  ARES_SPAWN_OFFSET="$(wc -c <"$log" | tr -d ' ')"
  printf '\n===== %s dev.sh: starting %s =====\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$name" >>"$log"
  if command -v setsid >/dev/null; then
    # Not a process-group leader here (no job control), so setsid execs in place: $! is the command.
    ARES_DEV_TAG="$(ares_tag "$name")" setsid "$@" </dev/null >>"$log" 2>&1 &
  else
    ARES_DEV_TAG="$(ares_tag "$name")" nohup "$@" </dev/null >>"$log" 2>&1 &
  fi
  ARES_SPAWNED_PID=$!
  printf '%s\n' "$ARES_SPAWNED_PID" | ares_write_atomic "$(ares_pidfile "$name")"
}

# ares_stop NAME: stops NAME if we started it (TERM, up to 10 s, then KILL; the whole process group
# when it leads one), and removes its pid file. Never signals a process whose tag is not ours.
ares_stop() {
  local name="$1" f pid pgid target i
  f="$(ares_pidfile "$name")"
  [[ -f "$f" ]] || return 0
  if ! pid="$(ares_pid "$name")"; then
    ares_log "$name: not running (stale pid file removed)"
    rm -f "$f"
    return 0
  fi
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  target="$pid"
  if [[ "$pgid" == "$pid" ]]; then target="-$pid"; fi # started with setsid: signal the group
  kill -TERM -- "$target" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 -- "$target" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- "$target" 2>/dev/null; then
    ares_log "$name (pid $pid) still running after 10 s: KILL"
    kill -KILL -- "$target" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      kill -0 -- "$target" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$f"
  ares_log "$name: stopped (pid $pid)"
}

# ares_fail COMPONENT ADDRESS LOG MESSAGE [OFFSET [END]]: the standard start-up failure report; exits 1.
# Shows the last 20 lines of LOG between bytes OFFSET (this start; default 0) and END (default: its end).
# An empty LOG shows none.
ares_fail() {
  local component="$1" address="$2" log="$3" msg="$4" offset="${5:-0}" end="${6:-}" tail_text line
  {
    printf '[dev] ERROR: %s at %s: %s\n' "$component" "$address" "$msg"
    if [[ -n "$log" ]]; then
      printf '[dev]   log: %s (last 20 lines):\n' "$log"
      if [[ -f "$log" ]]; then
        if [[ -n "$end" ]]; then
          tail_text="$(head -c "$end" "$log" | tail -c "+$((offset + 1))" | tail -n 20)"
        else
          tail_text="$(tail -c "+$((offset + 1))" "$log" | tail -n 20)"
        fi
        while IFS= read -r line; do printf '    | %s\n' "$line"; done <<<"$tail_text"
      else
        printf '    | (no log file)\n'
      fi
    fi
    printf "[dev]   other components keep running: 'bash infra/dev.sh status' / 'bash infra/dev.sh down'\n"
  } >&2
  exit 1
}

# ares_port_owner PORT: who listens on 127.0.0.1:PORT, as far as ss can tell (may be empty).
ares_port_owner() {
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n1 || true
}

# --- health probes --------------------------------------------------------------------------
ares_temporal_healthy() {
  local temporal="$1" out
  out="$(timeout 5 "$temporal" operator cluster health --address "$ARES_TEMPORAL_ADDRESS" 2>/dev/null || true)"
  [[ "$out" == *SERVING* ]]
}
ares_minio_healthy() { curl -sf -o /dev/null --max-time 3 "$ARES_MINIO_ENDPOINT/minio/health/live"; }
# HEAD on the bucket, signed with the MinIO credentials (SigV4 via curl).
ares_bucket_exists() {
  curl -sf -o /dev/null -I --max-time 3 --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$ARES_MINIO_USER:$ARES_MINIO_PASSWORD" "$ARES_MINIO_ENDPOINT/$ARES_S3_BUCKET"
}
