import { InvalidInputError } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { validateMatrix, validateTrainingSet } from './validateInput';

const columns = ['close', 'volume'];

test('an infinite value names the column, the count and the first row', () => {
  const data = Float32Array.from([1, 2, Infinity, 4, -Infinity, 6]);
  const err = thrown(() => validateMatrix({ rows: 3, cols: 2, data, columns }, 'training set'));
  expect(err).toBeInstanceOf(InvalidInputError);
  expect(err.message).toBe("training set: column 'close' has 2 infinite values (first at row 1); use NaN for missing values");
});

test('NaN is allowed (missing)', () => {
  expect(() => validateMatrix({ rows: 1, cols: 2, data: Float32Array.from([Number.NaN, 1]), columns }, 'x')).not.toThrow();
});

test('prediction columns must be the training columns, in order', () => {
  const x = { rows: 1, cols: 2, data: new Float32Array(2), columns: ['volume', 'close'] };
  expect(thrown(() => validateMatrix(x, 'prediction rows', columns)).message).toBe("prediction rows: column 0 is 'volume'; the model was trained with 'close' there");
});

test('a label outside 0..2 names the row and the value', () => {
  const set = { x: { rows: 2, cols: 2, data: new Float32Array(4), columns }, y: Int32Array.from([0, -1]) };
  expect(thrown(() => validateTrainingSet(set, 'training set', 3)).message).toBe('training set: label at row 1 is -1; class indices must be 0..2');
});

test('a negative weight names the row and the value', () => {
  const set = { x: { rows: 2, cols: 2, data: new Float32Array(4), columns }, y: Int32Array.from([0, 1]), weight: Float32Array.from([1, -2]) };
  expect(thrown(() => validateTrainingSet(set, 'training set', 3)).message).toBe('training set: weight at row 1 is -2; weights must be finite and ≥ 0');
});

test('a data length that does not match the shape says both', () => {
  expect(thrown(() => validateMatrix({ rows: 3, cols: 2, data: new Float32Array(5), columns }, 'x')).message).toBe('x: data has 5 values; 3 rows × 2 columns need 6');
});
