// Test helpers for the stacking specs (not exported from the barrel).
import type { Matrix, TrainingSet } from '@ares/models';
import type { IndexFold } from './outOfFold';

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** rows × cols standard-uniform features; labels from `label(row features, random)`. */
export function makeData(rows: number, cols: number, seed: number, label: (x: Float32Array, u: number) => number): TrainingSet {
  const next = rng(seed);
  const data = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = next() * 2 - 1;
    y[r] = label(data.subarray(r * cols, (r + 1) * cols), next());
  }
  const x: Matrix = { rows, cols, data, columns: Array.from({ length: cols }, (_, c) => `f${c}`) };
  return { x, y };
}

/** Pure noise: labels uniform on 0..2, independent of the features. */
export const noiseLabel = (_x: Float32Array, u: number): number => Math.min(2, Math.floor(u * 3));

/** Planted signal: class from f0's tercile, with 10% of labels replaced by noise. */
export const signalLabel = (x: Float32Array, u: number): number => (u < 0.1 ? Math.min(2, Math.floor(u * 30)) : x[0]! < -1 / 3 ? 0 : x[0]! < 1 / 3 ? 1 : 2);

/** Contiguous K-fold over rows 0..n−1: fold k tests block k and trains on the rest. */
export function contiguousKFold(n: number, k: number): IndexFold[] {
  const folds: IndexFold[] = [];
  for (let f = 0; f < k; f++) {
    const lo = Math.floor((f * n) / k);
    const hi = Math.floor(((f + 1) * n) / k);
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (i >= lo && i < hi ? test : train).push(i);
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}

/** Rows 0..n−1. */
export const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);
