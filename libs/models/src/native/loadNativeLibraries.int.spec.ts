/** The real native libraries installed by infra/install-tools.sh load through koffi and answer. */
import { toolPaths } from '@ares/data';
import { probeLightGBM, probeXGBoost } from './loadNativeLibraries';

test('lib_lightgbm.so loads and LGBM_DumpParamAliases returns the alias table', () => {
  // probeLightGBM throws unless the library returns JSON naming num_leaves.
  expect(probeLightGBM().path).toBe(toolPaths().lightgbmLib);
});

test('libxgboost.so loads and XGBoostVersion reports the pinned version', () => {
  // The left side comes from the library; the right side is infra/tools.env's XGBOOST_VERSION pin.
  expect(probeXGBoost().version).toBe(toolPaths().xgboostVersion);
});

test('a missing library fails with the path in the message', () => {
  expect(() => probeLightGBM('/nonexistent/lib_lightgbm.so')).toThrow(/nonexistent\/lib_lightgbm\.so/);
});
