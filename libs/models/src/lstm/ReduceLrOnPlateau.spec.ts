import { ReduceLrOnPlateau } from './ReduceLrOnPlateau';

test('Keras semantics: patience epochs without loss < best − minDelta, then × factor, floored at minLr', () => {
  const plateau = new ReduceLrOnPlateau({ factor: 0.5, patience: 2, minLr: 0.2, minDelta: 0.01 }, 1);
  // Hand-worked sequence: 1.0 sets best; 0.995 is within minDelta (no improvement, wait 1);
  // 0.99 is exactly best − minDelta (not below: wait 2 → rate 0.5, wait restarts).
  expect([1.0, 0.995, 0.99].map((l) => plateau.record(l))).toEqual([undefined, undefined, 0.5]);
  expect(plateau.learningRate).toBe(0.5);
  // 0.9 improves (best 0.9, wait 0); two flat epochs → 0.25; two more → floored at minLr 0.2; then it stays.
  expect([0.9, 0.9, 0.9, 0.95, 0.95, 0.95, 0.95].map((l) => plateau.record(l))).toEqual([undefined, undefined, 0.25, undefined, 0.2, undefined, undefined]);
  expect(plateau.learningRate).toBe(0.2);
});
