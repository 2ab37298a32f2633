import type { Matrix } from '@ares/models';
import { rng } from '../stacking/testing';
import { governorFeatures } from './features';
import { decide, GovernorModel } from './GovernorModel';

const FAST = { numIterations: 120, numThreads: 1 };

/** Random probability row with its argmax moved to `cls`. */
function peaked(next: () => number, cls: number): number[] {
  const p = [next() + 0.05, next() + 0.05, next() + 0.05];
  const s = p[0]! + p[1]! + p[2]!;
  const q = p.map((v) => v / s).sort((a, b) => b - a);
  const out = [0, 0, 0];
  out[cls] = q[0]!;
  const others = [0, 1, 2].filter((c) => c !== cls);
  out[others[0]!] = q[1]!;
  out[others[1]!] = q[2]!;
  return out;
}

/** Ensemble A right (85%) in regime X, B right in regime Y; each random elsewhere. Labels −1/0/1. */
function planted(n: number, seed: number): { x: Matrix; y: Int32Array; A: Float64Array; B: Float64Array } {
  const next = rng(seed);
  const regime: string[] = [];
  const y = new Int32Array(n);
  const A = new Float64Array(n * 3);
  const B = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const r = next() < 0.5 ? 'X' : 'Y';
    regime.push(r);
    const cls = Math.min(2, Math.floor(next() * 3));
    y[i] = cls - 1;
    const rand = (): number => Math.min(2, Math.floor(next() * 3));
    const a = r === 'X' && next() < 0.85 ? cls : rand();
    const b = r === 'Y' && next() < 0.85 ? cls : rand();
    A.set(peaked(next, a), i * 3);
    B.set(peaked(next, b), i * 3);
  }
  const f = governorFeatures({ regime, ensembleProba: { A, B } }, ['X', 'Y']);
  return { x: f.x, y, A, B };
}

function argmaxAccuracy(p: Float64Array, y: Int32Array): number {
  let hit = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < 3; c++) if (p[i * 3 + c]! > p[i * 3 + best]!) best = c;
    if (best - 1 === y[i]) hit++;
  }
  return hit / y.length;
}

describe('decide', () => {
  it('holds below the threshold and on flat, trades at or above it', () => {
    expect(decide([0.1, 0.35, 0.549])).toBe('HOLD');
    expect(decide([0.1, 0.34, 0.56])).toBe('BUY');
    expect(decide([0.56, 0.34, 0.1])).toBe('SELL');
    expect(decide([0.55, 0.35, 0.1])).toBe('SELL');
    expect(decide([0.2, 0.7, 0.1])).toBe('HOLD');
    expect(decide([0.5, 0.2, 0.3])).toBe('HOLD');
    expect(decide([0.1, 0.3, 0.6], 0.7)).toBe('HOLD');
  });
});

describe('GovernorModel', () => {
  it('learns whom to trust per regime: beats each ensemble on held-out rows; save→load is bit-identical', async () => {
    const train = planted(2000, 11);
    const test = planted(1000, 12);
    const gov = await GovernorModel.train(train.x, train.y, { validFrom: 1500, seed: 7, options: FAST });
    try {
      const pred = await gov.predict(test.x);
      const govAcc = pred.prediction.reduce((s, p, i) => s + (p === test.y[i] ? 1 : 0), 0) / test.y.length;
      const accA = argmaxAccuracy(test.A, test.y);
      const accB = argmaxAccuracy(test.B, test.y);
      expect(govAcc).toBeGreaterThan(Math.max(accA, accB) + 0.1);
      expect(pred.confidence.length).toBe(1000);
      expect(pred.decision.every((d, i) => d === decide(pred.proba.subarray(i * 3, i * 3 + 3)))).toBe(true);

      const again = await GovernorModel.load(JSON.parse(JSON.stringify(gov.save())));
      try {
        const p2 = await again.predict(test.x);
        expect(Buffer.from(p2.proba.buffer).equals(Buffer.from(pred.proba.buffer))).toBe(true);
        expect(again.save()).toEqual(gov.save());
      } finally {
        again.dispose();
      }
    } finally {
      gov.dispose();
    }
  }, 60_000);

  it('fits the scaler on rows before validFrom only and early-stops on the later slice', async () => {
    const n = 1200;
    const validFrom = 800;
    const next = rng(5);
    const cols = 4;
    const data = new Float32Array(n * cols);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const scale = i < validFrom ? 1 : 1000;
      for (let c = 0; c < cols; c++) data[i * cols + c] = (next() * 2 - 1 + 3) * scale;
      y[i] = Math.min(2, Math.floor(next() * 3)) - 1; // pure noise: any fit beyond a few rounds overfits
    }
    const x: Matrix = { rows: n, cols, data, columns: ['a', 'b', 'c', 'd'] };
    const gov = await GovernorModel.train(x, y, { validFrom, seed: 3, options: { numIterations: 300, learningRate: 0.3, minDataInLeaf: 5, numThreads: 1 } });
    try {
      const mean = gov.scalerMean;
      for (let c = 0; c < cols; c++) {
        let trainMean = 0;
        let allMean = 0;
        for (let i = 0; i < n; i++) {
          if (i < validFrom) trainMean += data[i * cols + c]!;
          allMean += data[i * cols + c]!;
        }
        trainMean /= validFrom;
        allMean /= n;
        expect(mean[c]).toBeCloseTo(trainMean, 9);
        expect(Math.abs(mean[c]! - allMean)).toBeGreaterThan(100);
      }
      expect(gov.trainRows).toBe(validFrom);
      expect(gov.validRows).toBe(n - validFrom);
      expect(gov.fitReport.validHistory.length).toBe(gov.fitReport.iterations);
      expect(gov.fitReport.iterations).toBeLessThan(300);
      expect(gov.fitReport.bestIteration).toBeLessThan(gov.fitReport.iterations - 1);
      expect(gov.save().manifest.labels).toEqual([-1, 0, 1]);
    } finally {
      gov.dispose();
    }
  }, 60_000);
});
