import koffi from 'koffi';
import { toolPaths } from '@ares/data';

/** A loaded native library and what a trivial call returned. */
export interface NativeLibraryInfo {
  path: string;
  version: string;
}

/**
 * Loads lib_lightgbm.so through koffi and makes a trivial but real call:
 * `LGBM_DumpParamAliases` must return the parameter alias table (JSON naming e.g. num_leaves).
 */
export function probeLightGBM(path = toolPaths().lightgbmLib): NativeLibraryInfo {
  const lib = load(path, 'LightGBM');
  const dumpAliases = lib.func('int LGBM_DumpParamAliases(int64_t buffer_len, _Out_ int64_t *out_len, _Out_ uint8_t *out_str)');
  const getLastError = lib.func('const char *LGBM_GetLastError()');
  const outLen = [0];
  const buf = Buffer.alloc(1 << 16);
  if (dumpAliases(buf.length, outLen, buf) !== 0) throw new Error(`LGBM_DumpParamAliases failed: ${getLastError()}`);
  const json = buf.subarray(0, Math.max(0, Number(outLen[0]) - 1)).toString('utf8');
  if (!json.includes('num_leaves')) throw new Error(`LGBM_DumpParamAliases returned unexpected output: ${json.slice(0, 80)}`);
  return { path, version: toolPaths().lightgbmVersion };
}

/** Loads libxgboost.so through koffi and asks it for its version (`XGBoostVersion`). */
export function probeXGBoost(path = toolPaths().xgboostLib): NativeLibraryInfo {
  const lib = load(path, 'XGBoost');
  const version = lib.func('void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)');
  const major = [0], minor = [0], patch = [0];
  version(major, minor, patch);
  return { path, version: `${major[0]}.${minor[0]}.${patch[0]}` };
}

/** koffi.load, with the path and the fix in the message (koffi's own names neither). */
function load(path: string, name: string): koffi.IKoffiLib {
  try {
    return koffi.load(path);
  } catch (err) {
    throw new Error(`cannot load the ${name} library ${path}: ${(err as Error).message}; run 'bash infra/install-tools.sh'`, { cause: err });
  }
}
