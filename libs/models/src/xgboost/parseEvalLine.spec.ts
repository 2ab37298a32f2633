import { parseEvalLine } from './parseEvalLine';

test('reads the metric of the named set from XGBoosterEvalOneIter output', () => {
  // Lines as XGBoost 3.2.0 prints them (max_digits10 digits).
  expect(parseEvalLine('[0]\tvalid-mlogloss:0.67524475723505017', 'valid', 'mlogloss')).toBe(0.67524475723505017);
  expect(parseEvalLine('[7]\ttrain-mlogloss:0.1\tvalid-mlogloss:0.25', 'valid', 'mlogloss')).toBe(0.25);
});

test('nan is NaN', () => {
  expect(parseEvalLine('[3]\tvalid-mlogloss:nan', 'valid', 'mlogloss')).toBeNaN();
});

test('a line without the metric is an error quoting the line', () => {
  expect(() => parseEvalLine('[3]\tvalid-merror:0.2', 'valid', 'mlogloss')).toThrow('XGBoosterEvalOneIter returned "[3]\\tvalid-merror:0.2", which has no valid-mlogloss value');
});
