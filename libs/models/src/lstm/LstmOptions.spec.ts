import { compileLstmOptions } from './LstmOptions';

test('defaults follow the documented @default values', () => {
  expect(compileLstmOptions()).toEqual({
    sequenceLength: 32,
    units: [64, 32],
    dropout: 0.2,
    recurrentDropout: 0,
    l1: 0,
    l2: 0,
    learningRate: 1e-3,
    batchSize: 64,
    epochs: 50,
    earlyStoppingPatience: 10,
    reduceLrOnPlateau: { factor: 0.5, patience: 5, minLr: 1e-5, minDelta: 1e-4 },
    seed: 42,
  });
});

test('class weights: balanced or one positive weight per class', () => {
  expect(compileLstmOptions({ classWeight: 'balanced' }).classWeight).toBe('balanced');
  expect(compileLstmOptions({ classWeight: [2, 1, 2] }).classWeight).toEqual([2, 1, 2]);
  expect(() => compileLstmOptions({ classWeight: [1, 0, 1] })).toThrow(/classWeight/);
});

test('invalid values name the field and the value', () => {
  expect(() => compileLstmOptions({ dropout: 1 })).toThrow(/dropout = 1/);
  expect(() => compileLstmOptions({ units: [] })).toThrow(/units/);
  expect(() => compileLstmOptions({ sequenceLength: 0 })).toThrow(/sequenceLength = 0/);
  expect(() => compileLstmOptions({ epochz: 3 } as never)).toThrow(/epochz/);
});

test('contradictions name both fields', () => {
  expect(() => compileLstmOptions({ earlyStoppingPatience: 5, reduceLrOnPlateau: { factor: 0.5, patience: 5, minLr: 0 } })).toThrow(
    /reduceLrOnPlateau\.patience \(5\) must be below earlyStoppingPatience \(5\)/,
  );
  expect(() => compileLstmOptions({ learningRate: 1e-4, reduceLrOnPlateau: { factor: 0.5, patience: 2, minLr: 1e-3 } })).toThrow(/minLr \(0\.001\) must not exceed learningRate \(0\.0001\)/);
  // Without early stopping any plateau patience is fine; false disables the schedule.
  expect(compileLstmOptions({ earlyStoppingPatience: 0, reduceLrOnPlateau: { factor: 0.5, patience: 20, minLr: 0 } }).reduceLrOnPlateau).toMatchObject({ patience: 20 });
  expect(compileLstmOptions({ reduceLrOnPlateau: false }).reduceLrOnPlateau).toBe(false);
});
