#!/usr/bin/env bash
# Local development stack for Ares: Temporal dev server, MinIO and N pipeline workers, as background
# processes of this checkout (state, logs and pid files under $ARES_DATA_DIR, default <repo>/.data).
#
#   bash infra/dev.sh up [--workers N]   install tools, start what is not running, wait until healthy
#   bash infra/dev.sh status             one line per component; exit 0 only if all are healthy
#   bash infra/dev.sh down               stop what dev.sh started (pid files in .data/run)
#   bash infra/dev.sh logs [NAME] [-f|--no-follow] [-n LINES]
#                                        NAME: temporal | minio | worker | worker-<i> (default: all);
#                                        follows when stdout is a terminal, unless --no-follow
#   bash infra/dev.sh env                export lines for a shell: eval "$(bash infra/dev.sh env)"
#                                        (`up` also writes them to $ARES_DATA_DIR/ares.env: ARES_ENV_FILE)
#
# Environment (defaults in brackets):
#   ARES_WORKERS [1]                    workers for `up` (--workers wins)
#   ARES_DATA_DIR [<repo>/.data]        temporal/temporal.db (SQLite: histories survive restarts),
#                                       minio/, artifacts/, logs/, run/
#   ARES_TEMPORAL_PORT [7233] ARES_TEMPORAL_UI_PORT [8233] ARES_TEMPORAL_LOG_LEVEL [warn]
#   TEMPORAL_NAMESPACE [default]
#   ARES_MINIO_PORT [9000] ARES_MINIO_CONSOLE_PORT [9001]
#   ARES_MINIO_USER [ares] ARES_MINIO_PASSWORD [ares-dev-secret]   (local development only)
#   ARES_S3_BUCKET [ares]
#   ARES_START_TIMEOUT [60]             seconds to wait for Temporal and for MinIO
#   ARES_WORKER_START_TIMEOUT [120]     seconds to wait for a worker's "polling" line
#   Passed to workers: ARES_ARTIFACTS [file://<data>/artifacts]; ARES_S3_ENDPOINT [the local MinIO;
#   set it empty for AWS S3]; AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [the MinIO credentials when
#   the endpoint is the local MinIO]; AWS_REGION [us-east-1]; ARES_WORKER_ID [dev-worker] (+ -<i>);
#   and everything else in the caller's environment (ARES_TASK_QUEUE, ARES_TOOLS_DIR, ...).
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

START_TIMEOUT="${ARES_START_TIMEOUT:-60}"
WORKER_START_TIMEOUT="${ARES_WORKER_START_TIMEOUT:-120}"
TEMPORAL_LOG="$ARES_LOGS/temporal.log"
MINIO_LOG="$ARES_LOGS/minio.log"

worker_names() { # worker-<i> for every worker pid file, sorted by i
  local f
  for f in "$ARES_RUN"/worker-*.pid; do
    if [[ ! -e "$f" ]]; then continue; fi
    f="${f##*/}"
    printf '%s\n' "${f%.pid}"
  done | sort -t- -k2,2n
}

# --- Temporal -------------------------------------------------------------------------------
start_temporal() {
  local temporal="$1" pid deadline offset=0 end
  if pid="$(ares_pid temporal)"; then
    if ares_temporal_healthy "$temporal"; then
      ares_log "temporal: already running (pid $pid) at $ARES_TEMPORAL_ADDRESS"
      ensure_namespace "$temporal"
      ensure_search_attributes "$temporal"
      return 0
    fi
    ares_log "temporal: running (pid $pid) but not serving yet; waiting"
  else
    rm -f "$(ares_pidfile temporal)"
    local port
    for port in "$ARES_TEMPORAL_PORT" "$ARES_TEMPORAL_UI_PORT"; do
      if ares_port_open "$port"; then
        ares_fail temporal "$ARES_HOST:$port" "" \
          "port $port is already in use by a process dev.sh did not start $(ares_port_owner "$port") (set ARES_TEMPORAL_PORT / ARES_TEMPORAL_UI_PORT)"
      fi
    done
    mkdir -p "$ARES_DATA/temporal"
    local args=(server start-dev --ip "$ARES_HOST" --port "$ARES_TEMPORAL_PORT" --ui-port "$ARES_TEMPORAL_UI_PORT"
      --db-filename "$ARES_DATA/temporal/temporal.db" --log-level "${ARES_TEMPORAL_LOG_LEVEL:-warn}")
    local sa
    for sa in "${ARES_SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa=Keyword"); done
    if [[ "$ARES_NAMESPACE" != default ]]; then args+=(--namespace "$ARES_NAMESPACE"); fi
    ares_spawn temporal "$TEMPORAL_LOG" "$temporal" "${args[@]}"
    pid="$ARES_SPAWNED_PID" offset="$ARES_SPAWN_OFFSET"
    ares_log "temporal: started (pid $pid), waiting for $ARES_TEMPORAL_ADDRESS (up to ${START_TIMEOUT} s)"
  fi
  deadline=$((SECONDS + START_TIMEOUT))
  until ares_temporal_healthy "$temporal"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(ares_pidfile temporal)"
      ares_fail temporal "$ARES_TEMPORAL_ADDRESS" "$TEMPORAL_LOG" "the dev server exited during start-up" "$offset"
    fi
    if ((SECONDS >= deadline)); then
      end="$(wc -c <"$TEMPORAL_LOG")" # the log up to now: what stopping it adds is noise
      ares_stop temporal
      ares_fail temporal "$ARES_TEMPORAL_ADDRESS" "$TEMPORAL_LOG" "not SERVING within ${START_TIMEOUT} s (ARES_START_TIMEOUT)" "$offset" "$end"
    fi
    sleep 0.5
  done
  ensure_namespace "$temporal"
  ensure_search_attributes "$temporal"
  ares_log "temporal: SERVING at $ARES_TEMPORAL_ADDRESS, Web UI $ARES_TEMPORAL_UI_URL"
}

# Creates TEMPORAL_NAMESPACE when the running server lacks it (start-dev creates it only at launch).
ensure_namespace() {
  local temporal="$1" out
  [[ "$ARES_NAMESPACE" == default ]] && return 0
  if "$temporal" operator namespace describe --address "$ARES_TEMPORAL_ADDRESS" --namespace "$ARES_NAMESPACE" >/dev/null 2>&1; then
    return 0
  fi
  ares_log "temporal: creating namespace $ARES_NAMESPACE"
  out="$("$temporal" operator namespace create --address "$ARES_TEMPORAL_ADDRESS" --namespace "$ARES_NAMESPACE" 2>&1)" ||
    ares_fail temporal "$ARES_TEMPORAL_ADDRESS" "$TEMPORAL_LOG" "cannot create namespace $ARES_NAMESPACE: $out"
  sleep 2 # a new namespace takes a moment to reach every service of the dev server
}

# Registers any of the project's search attributes that the namespace lacks (e.g. an old database).
ensure_search_attributes() {
  local temporal="$1" list sa
  list="$("$temporal" operator search-attribute list --address "$ARES_TEMPORAL_ADDRESS" --namespace "$ARES_NAMESPACE" 2>&1)" ||
    ares_fail temporal "$ARES_TEMPORAL_ADDRESS" "$TEMPORAL_LOG" "cannot list search attributes: $list"
  for sa in "${ARES_SEARCH_ATTRIBUTES[@]}"; do
    if grep -qE "(^|[[:space:]])${sa}[[:space:]]+Keyword" <<<"$list"; then continue; fi
    ares_log "temporal: registering search attribute $sa=Keyword in namespace $ARES_NAMESPACE"
    "$temporal" operator search-attribute create --address "$ARES_TEMPORAL_ADDRESS" --namespace "$ARES_NAMESPACE" \
      --name "$sa" --type Keyword >/dev/null 2>&1 ||
      ares_fail temporal "$ARES_TEMPORAL_ADDRESS" "$TEMPORAL_LOG" "cannot register search attribute $sa=Keyword (is it defined with another type?)"
  done
}

# --- MinIO ----------------------------------------------------------------------------------
start_minio() {
  local minio="$1" pid deadline offset=0 end
  if pid="$(ares_pid minio)"; then
    if ares_minio_healthy; then
      ares_log "minio: already running (pid $pid) at $ARES_MINIO_ENDPOINT"
      ensure_bucket
      return 0
    fi
    ares_log "minio: running (pid $pid) but not live yet; waiting"
  else
    rm -f "$(ares_pidfile minio)"
    local port
    for port in "$ARES_MINIO_PORT" "$ARES_MINIO_CONSOLE_PORT"; do
      if ares_port_open "$port"; then
        ares_fail minio "$ARES_HOST:$port" "" \
          "port $port is already in use by a process dev.sh did not start $(ares_port_owner "$port") (set ARES_MINIO_PORT / ARES_MINIO_CONSOLE_PORT)"
      fi
    done
    mkdir -p "$ARES_DATA/minio"
    MINIO_ROOT_USER="$ARES_MINIO_USER" MINIO_ROOT_PASSWORD="$ARES_MINIO_PASSWORD" MINIO_UPDATE=off \
      ares_spawn minio "$MINIO_LOG" "$minio" server "$ARES_DATA/minio" \
      --address "$ARES_HOST:$ARES_MINIO_PORT" --console-address "$ARES_HOST:$ARES_MINIO_CONSOLE_PORT"
    pid="$ARES_SPAWNED_PID" offset="$ARES_SPAWN_OFFSET"
    ares_log "minio: started (pid $pid), waiting for $ARES_MINIO_ENDPOINT (up to ${START_TIMEOUT} s)"
  fi
  deadline=$((SECONDS + START_TIMEOUT))
  until ares_minio_healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(ares_pidfile minio)"
      ares_fail minio "$ARES_MINIO_ENDPOINT" "$MINIO_LOG" "the server exited during start-up" "$offset"
    fi
    if ((SECONDS >= deadline)); then
      end="$(wc -c <"$MINIO_LOG")" # the log up to now: what stopping it adds is noise
      ares_stop minio
      ares_fail minio "$ARES_MINIO_ENDPOINT" "$MINIO_LOG" "not live within ${START_TIMEOUT} s (ARES_START_TIMEOUT)" "$offset" "$end"
    fi
    sleep 0.3
  done
  ares_log "minio: live at $ARES_MINIO_ENDPOINT (console http://$ARES_HOST:$ARES_MINIO_CONSOLE_PORT)"
  ensure_bucket
}

# Creates the bucket with the project's own S3ArtifactStore (idempotent).
ensure_bucket() {
  local out
  if ares_bucket_exists; then
    ares_log "minio: bucket $ARES_S3_BUCKET exists"
    return 0
  fi
  out="$(cd "$ARES_REPO" && AWS_ACCESS_KEY_ID="$ARES_MINIO_USER" AWS_SECRET_ACCESS_KEY="$ARES_MINIO_PASSWORD" AWS_REGION=us-east-1 \
    ARES_DEV_BUCKET="$ARES_S3_BUCKET" ARES_DEV_ENDPOINT="$ARES_MINIO_ENDPOINT" node --import tsx -e '
      const { S3ArtifactStore } = require("@ares/data");
      S3ArtifactStore.create({ bucket: process.env.ARES_DEV_BUCKET, endpoint: process.env.ARES_DEV_ENDPOINT, createBucket: true })
        .then((store) => store.close())
        .catch((err) => { console.error(err); process.exit(1); });
    ' 2>&1)" || ares_fail minio "$ARES_MINIO_ENDPOINT" "$MINIO_LOG" "cannot create bucket $ARES_S3_BUCKET: $out"
  ares_log "minio: bucket $ARES_S3_BUCKET created"
}

# --- workers --------------------------------------------------------------------------------
worker_env() { # the environment of worker $1, as NAME=VALUE words for env(1)
  local i="$1" endpoint
  local -a e=(
    "TEMPORAL_ADDRESS=$ARES_TEMPORAL_ADDRESS"
    "TEMPORAL_NAMESPACE=$ARES_NAMESPACE"
    "TEMPORAL_UI_URL=$ARES_TEMPORAL_UI_URL"
    "ARES_DATA_DIR=$ARES_DATA"
    "ARES_ARTIFACTS=${ARES_ARTIFACTS:-file://$ARES_DATA/artifacts}"
    "ARES_WORKER_ID=${ARES_WORKER_ID:-dev-worker}-$i"
    "AWS_REGION=${AWS_REGION:-us-east-1}"
  )
  if [[ -z "${ARES_S3_ENDPOINT+set}" ]]; then # unset: the local MinIO, with its credentials
    e+=("ARES_S3_ENDPOINT=$ARES_MINIO_ENDPOINT" "AWS_ACCESS_KEY_ID=$ARES_MINIO_USER" "AWS_SECRET_ACCESS_KEY=$ARES_MINIO_PASSWORD")
  elif [[ -n "$ARES_S3_ENDPOINT" ]]; then # the caller's endpoint; credentials default to MinIO's if it is ours
    endpoint="${ARES_S3_ENDPOINT%/}"
    e+=("ARES_S3_ENDPOINT=$ARES_S3_ENDPOINT")
    if [[ "$endpoint" == "$ARES_MINIO_ENDPOINT" || "$endpoint" == "http://localhost:$ARES_MINIO_PORT" ]]; then
      e+=("AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-$ARES_MINIO_USER}" "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-$ARES_MINIO_PASSWORD}")
    fi
  fi # set but empty: AWS S3 itself, with the caller's credential chain
  printf '%s\n' "${e[@]}"
}

# Warns when a running worker's environment differs from what `up` would give it now.
warn_env_drift() {
  local name="$1" pid="$2" i="$3" envs word
  local -a differ=()
  [[ -r "/proc/$pid/environ" ]] || return 0
  envs="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null || true)"
  while IFS= read -r word; do
    if ! grep -qxF "$word" <<<"$envs"; then differ+=("${word%%=*}"); fi
  done < <(worker_env "$i")
  if ((${#differ[@]})); then
    ares_log "$name: WARNING: runs with another ${differ[*]} than requested now; 'bash infra/dev.sh down' then 'up' to apply"
  fi
}

start_workers() {
  local n="$1" i name pid log deadline
  local -a starting=() offsets=()
  # More worker pid files than wanted: stop the extra ones (they are ours).
  for name in $(worker_names); do
    i="${name#worker-}"
    if ((i > n)); then
      ares_log "$name: not wanted with --workers $n"
      ares_stop "$name"
    fi
  done
  for ((i = 1; i <= n; i++)); do
    name="worker-$i"
    log="$ARES_LOGS/$name.log"
    if pid="$(ares_pid "$name")"; then
      ares_log "$name: already running (pid $pid)"
      warn_env_drift "$name" "$pid" "$i"
      continue
    fi
    rm -f "$(ares_pidfile "$name")"
    local -a env_words=()
    mapfile -t env_words < <(worker_env "$i")
    if [[ -z "${ARES_S3_ENDPOINT-x}" ]]; then # set but empty: do not hand the worker an invalid URL
      ares_spawn "$name" "$log" env -u ARES_S3_ENDPOINT "${env_words[@]}" node --import tsx apps/worker/src/main.ts
    else
      ares_spawn "$name" "$log" env "${env_words[@]}" node --import tsx apps/worker/src/main.ts
    fi
    starting+=("$i")
    offsets+=("$ARES_SPAWN_OFFSET")
    ares_log "$name: started (pid $ARES_SPAWNED_PID), log $log"
  done
  ((${#starting[@]} > 0)) || return 0
  ares_log "waiting for ${#starting[@]} worker(s) to poll (up to ${WORKER_START_TIMEOUT} s)"
  deadline=$((SECONDS + WORKER_START_TIMEOUT))
  local k pending new line
  while :; do
    pending=0
    for k in "${!starting[@]}"; do
      i="${starting[$k]}"
      [[ -n "$i" ]] || continue
      name="worker-$i"
      log="$ARES_LOGS/$name.log"
      new="$(tail -c "+$((offsets[k] + 1))" "$log")"
      if [[ "$new" == *polling* ]]; then
        line="$(grep -m1 polling <<<"$new" || true)"
        ares_log "$name: ${line#\[worker *\] }"
        starting[k]=""
        continue
      fi
      if ! ares_pid "$name" >/dev/null; then
        rm -f "$(ares_pidfile "$name")"
        ares_fail "$name" "$ARES_TEMPORAL_ADDRESS" "$log" "the worker exited during start-up" "${offsets[k]}"
      fi
      pending=1
    done
    ((pending)) || break
    if ((SECONDS >= deadline)); then
      local -a ends=()
      for k in "${!starting[@]}"; do
        ends[k]=0
        if [[ -n "${starting[$k]}" ]]; then
          ends[k]="$(wc -c <"$ARES_LOGS/worker-${starting[$k]}.log")"
          ares_stop "worker-${starting[$k]}"
        fi
      done
      for k in "${!starting[@]}"; do
        if [[ -n "${starting[$k]}" ]]; then
          ares_fail "worker-${starting[$k]}" "$ARES_TEMPORAL_ADDRESS" "$ARES_LOGS/worker-${starting[$k]}.log" \
            "no 'polling' line within ${WORKER_START_TIMEOUT} s (ARES_WORKER_START_TIMEOUT)" "${offsets[k]}" "${ends[k]}"
        fi
      done
    fi
    sleep 0.5
  done
}

# --- commands -------------------------------------------------------------------------------
cmd_up() {
  local n="${ARES_WORKERS:-1}"
  while (($#)); do
    case "$1" in
      --workers) [[ $# -ge 2 ]] || ares_die "--workers needs a number"; n="$2"; shift 2 ;;
      --workers=*) n="${1#*=}"; shift ;;
      -h | --help) usage; exit 0 ;;
      *) ares_die "up: unknown argument '$1' (usage: dev.sh up [--workers N])" ;;
    esac
  done
  [[ "$n" =~ ^[0-9]+$ ]] || ares_die "--workers / ARES_WORKERS must be a whole number, got '$n'"
  command -v node >/dev/null || ares_die "node (>= 20) is required"
  command -v curl >/dev/null || ares_die "curl is required"
  bash "$ARES_REPO/infra/install-tools.sh"
  local temporal minio
  temporal="$(ares_tool temporal)"
  minio="$(ares_tool minio)"
  mkdir -p "$ARES_LOGS" "$ARES_RUN"
  cd "$ARES_REPO"
  start_temporal "$temporal"
  start_minio "$minio"
  printf '%s\n' "$n" | ares_write_atomic "$ARES_RUN/workers.count" # wanted; status reports missing ones as DOWN
  start_workers "$n"
  echo
  cmd_status || true
  echo
  # The same settings as a profile the CLI and workers read (ARES_ENV_FILE; set variables win).
  cmd_env | sed -n 's/^export //p' | ares_write_atomic "$ARES_DATA/ares.env"
  chmod 600 "$ARES_DATA/ares.env" # it holds the MinIO secret
  echo "Use them from a shell:  eval \"\$(bash infra/dev.sh env)\""
  echo "                   or:  export ARES_ENV_FILE=$ARES_DATA/ares.env"
}

cmd_status() {
  local temporal="" ok=0 pid health name want i
  if [[ -f "$ARES_MANIFEST" ]]; then temporal="$(ares_tool temporal)"; fi
  row() { printf '%-10s %-8s %-58s %s\n' "$@"; }
  row COMPONENT PID ADDRESS HEALTH

  health=DOWN
  if pid="$(ares_pid temporal)"; then
    if [[ -n "$temporal" ]] && ares_temporal_healthy "$temporal"; then health=OK; fi
  else
    pid=-
    if ares_port_open "$ARES_TEMPORAL_PORT"; then health="DOWN (port in use by a process dev.sh did not start)"; fi
  fi
  [[ "$health" == OK ]] || ok=1
  row temporal "$pid" "$ARES_TEMPORAL_ADDRESS (ns $ARES_NAMESPACE), UI $ARES_TEMPORAL_UI_URL" "$health"

  health=DOWN
  if pid="$(ares_pid minio)"; then
    if ares_minio_healthy; then
      health=OK
      if ! ares_bucket_exists; then health="DOWN (no bucket $ARES_S3_BUCKET)"; fi
    fi
  else
    pid=-
    if ares_port_open "$ARES_MINIO_PORT"; then health="DOWN (port in use by a process dev.sh did not start)"; fi
  fi
  [[ "$health" == OK ]] || ok=1
  row minio "$pid" "$ARES_MINIO_ENDPOINT, bucket $ARES_S3_BUCKET" "$health"

  want="$(cat "$ARES_RUN/workers.count" 2>/dev/null || true)" # absent: no `up` since the last `down`
  [[ "$want" =~ ^[0-9]+$ ]] || want=""
  local -a names=()
  mapfile -t names < <({ for ((i = 1; i <= ${want:-0}; i++)); do echo "worker-$i"; done; worker_names; } | sort -u -t- -k2,2n)
  for name in "${names[@]}"; do
    if pid="$(ares_pid "$name")"; then
      health=OK
    else
      pid="$(head -n1 "$(ares_pidfile "$name")" 2>/dev/null || echo -)"
      health="DOWN (not running)"
      ok=1
    fi
    row "$name" "$pid" "-> $ARES_TEMPORAL_ADDRESS, log $ARES_LOGS/$name.log" "$health"
  done
  if ((${#names[@]} == 0)); then
    if [[ "$want" == 0 ]]; then
      row workers - "none (up --workers 0)" OK
    else
      row worker - "none running" DOWN
      ok=1
    fi
  fi
  return "$ok"
}

cmd_down() {
  local name any=0
  for name in $(worker_names) minio temporal; do
    [[ -f "$(ares_pidfile "$name")" ]] || continue
    any=1
    ares_stop "$name"
  done
  rm -f "$ARES_RUN/workers.count"
  ((any)) || ares_log "nothing to stop (no pid files in $ARES_RUN)"
}

cmd_logs() {
  local follow="" lines=50
  local -a names=() files=()
  if [[ -t 1 ]]; then follow=1; fi
  while (($#)); do
    case "$1" in
      -f | --follow) follow=1; shift ;;
      --no-follow) follow=""; shift ;;
      -n) [[ $# -ge 2 ]] || ares_die "-n needs a number"; lines="$2"; shift 2 ;;
      -h | --help) usage; exit 0 ;;
      -*) ares_die "logs: unknown option '$1'" ;;
      *) names+=("$1"); shift ;;
    esac
  done
  ((${#names[@]})) || names=(all)
  local n f
  for n in "${names[@]}"; do
    case "$n" in
      all) for f in "$ARES_LOGS"/*.log; do if [[ -e "$f" ]]; then files+=("$f"); fi; done ;;
      worker | workers) for f in "$ARES_LOGS"/worker-*.log; do if [[ -e "$f" ]]; then files+=("$f"); fi; done ;;
      *) f="$ARES_LOGS/${n%.log}.log"; [[ -e "$f" ]] || ares_die "no log $f (names: temporal, minio, worker, worker-<i>)"; files+=("$f") ;;
    esac
  done
  ((${#files[@]})) || ares_die "no logs in $ARES_LOGS yet (run 'bash infra/dev.sh up')"
  if [[ -n "$follow" ]]; then exec tail -n "$lines" -F "${files[@]}"; else tail -n "$lines" "${files[@]}"; fi
}

cmd_env() {
  # shellcheck disable=SC2016 # the $(...) is for the user's shell
  printf '# Ares dev stack (%s): eval "$(bash infra/dev.sh env)"\n' "$ARES_DATA"
  printf 'export TEMPORAL_ADDRESS=%q\n' "$ARES_TEMPORAL_ADDRESS"
  printf 'export TEMPORAL_NAMESPACE=%q\n' "$ARES_NAMESPACE"
  printf 'export TEMPORAL_UI_URL=%q\n' "$ARES_TEMPORAL_UI_URL"
  printf 'export ARES_S3_ENDPOINT=%q\n' "$ARES_MINIO_ENDPOINT"
  printf 'export AWS_ACCESS_KEY_ID=%q\n' "$ARES_MINIO_USER"
  printf 'export AWS_SECRET_ACCESS_KEY=%q\n' "$ARES_MINIO_PASSWORD"
  printf 'export AWS_REGION=us-east-1\n'
  # The store the workers write to (the CLI's default, ./.data/artifacts, is relative to the cwd).
  printf 'export ARES_ARTIFACTS=%q\n' "${ARES_ARTIFACTS:-file://$ARES_DATA/artifacts}"
  printf 'export ARES_TASK_QUEUE=%q\n' "${ARES_TASK_QUEUE:-ares-pipeline}"
  printf '# Artifacts in MinIO instead of %s/artifacts:\n' "$ARES_DATA"
  printf '# export ARES_ARTIFACTS=s3://%s/artifacts\n' "$ARES_S3_BUCKET"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  up) cmd_up "$@" ;;
  status) cmd_status ;;
  down) cmd_down ;;
  logs) cmd_logs "$@" ;;
  env) cmd_env ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
