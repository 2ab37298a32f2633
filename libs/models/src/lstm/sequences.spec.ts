import type { Matrix } from '../core/Model';
import { gatherWindows, requireColumns, requireFinite, sequenceEnds, windowsWithNonFinite } from './sequences';

// 5 rows × 2 columns; row r holds [10r, 10r + 1].
const x: Matrix = { rows: 5, cols: 2, columns: ['a', 'b'], data: Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]) };

test('windows end at rows L − 1 .. rows − 1; the first L − 1 rows start none', () => {
  expect(Array.from(sequenceEnds(5, 3))).toEqual([2, 3, 4]);
  expect(Array.from(sequenceEnds(5, 1))).toEqual([0, 1, 2, 3, 4]);
  expect(Array.from(sequenceEnds(2, 3))).toEqual([]);
});

test('the window for row i is rows i − L + 1 .. i, oldest first', () => {
  const out = new Float32Array(2 * 3 * 2);
  gatherWindows(x, [3, 4], 0, 2, 3, out);
  // Hand-checked: window ending at row 3 = rows 1, 2, 3; at row 4 = rows 2, 3, 4.
  expect(Array.from(out)).toEqual([10, 11, 20, 21, 30, 31, 20, 21, 30, 31, 40, 41]);
});

test('a NaN poisons exactly the windows that contain its row', () => {
  const data = x.data.slice();
  data[2 * 2 + 1] = Number.NaN; // row 2, column b
  const bad = windowsWithNonFinite({ ...x, data }, 2);
  expect(Array.from(bad)).toEqual([0, 0, 1, 1, 0]);
  expect(() => requireFinite({ ...x, data }, 'train')).toThrow("train: column 'b' has 1 NaN/±Inf values (first at row 2)");
});

test('columns must match the training columns in order', () => {
  expect(() => requireColumns(x, ['a', 'b'], 'x')).not.toThrow();
  expect(() => requireColumns(x, ['b', 'a'], 'x')).toThrow('same names in a different order');
  expect(() => requireColumns(x, ['a', 'c'], 'x')).toThrow('missing ["c"], unexpected ["b"]');
});
