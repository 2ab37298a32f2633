import { MODEL_TYPES, parseModelType, UnknownModelTypeError } from '@ares/models';
import { MODEL_TYPE_NAMES } from './contracts';

test('the workflow accepts exactly the model types @ares/models knows', () => {
  expect([...MODEL_TYPE_NAMES]).toEqual([...MODEL_TYPES]);
});

test('an unknown model type is named with the choices', () => {
  expect(() => parseModelType('catboost')).toThrow(UnknownModelTypeError);
  expect(() => parseModelType('catboost')).toThrow("unknown model type 'catboost'; choose one of lightgbm, xgboost, random_forest, lstm");
});
