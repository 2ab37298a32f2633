import { InvalidInputError } from '@ares/data';

/** Trading labels −1/0/1 ↔ class indices 0/1/2. */
export const LABELS = [-1, 0, 1] as const;
export type TradingLabel = (typeof LABELS)[number];

/** Maps labels −1/0/1 to class indices 0/1/2; anything else is an error naming the row and value. */
export function labelsToClasses(labels: ArrayLike<number>): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v !== -1 && v !== 0 && v !== 1) throw new InvalidInputError(`label at row ${i} is ${v}; labels must be -1, 0 or 1`);
    out[i] = v + 1;
  }
  return out;
}

/** Maps class indices 0/1/2 back to labels −1/0/1. */
export function classesToLabels(classes: ArrayLike<number>): Int8Array {
  return Int8Array.from(classes as ArrayLike<number>, (c) => c - 1);
}
